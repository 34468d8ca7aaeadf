// Replaced by the ONNX cross-encoder quick start (issue 3).
Console.WriteLine("QuickStart: not yet implemented.");
return 1;
