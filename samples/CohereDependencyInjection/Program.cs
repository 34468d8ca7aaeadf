// Replaced by the Cohere DI sample (issue 4).
Console.WriteLine("CohereDependencyInjection: not yet implemented.");
return 1;
