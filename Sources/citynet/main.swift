import App
import Foundation

CityNetMain.runConcurrencyOnEventLoops()
exit(await CityNetMain.main())
