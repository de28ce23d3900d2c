using System.Globalization;
using Cuckoo.Cli;

// ICU is on (for NFKC passwords), but output must not follow the user's locale: amounts and JSON read the same everywhere.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
return await CliApp.RunAsync(args);
