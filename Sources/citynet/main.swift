import App

try await CityNetMain.run()
