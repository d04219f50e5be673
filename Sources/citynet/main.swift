import App
import Foundation

exit(await CityNetMain.main())
