using Cuckoo.ModelGen;

// Usage: Cuckoo.ModelGen [OUTPUT.onnx]   (default: models/cuckoo-cppn.onnx under the current directory)
var output = args.Length > 0 ? args[0] : Path.Combine("models", CppnModel.FileName);
var bytes = CppnModel.Build();
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
File.WriteAllBytes(output, bytes);
Console.WriteLine($"{output} {bytes.Length} bytes sha256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}");
return 0;
