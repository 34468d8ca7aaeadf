namespace Rerank.Onnx;

/// <summary>How <see cref="LateInteractionEmbeddings"/> are serialised for storage.</summary>
public enum LateInteractionStorageFormat
{
    /// <summary>IEEE half precision: 2 bytes per value, scores within about 1e-3 of float32.</summary>
    Float16 = 0,

    /// <summary>Single precision: 4 bytes per value, exact.</summary>
    Float32 = 1,
}
