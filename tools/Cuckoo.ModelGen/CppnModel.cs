using Google.Protobuf;
using Onnx;

namespace Cuckoo.ModelGen;

/// <summary>
/// The cuckoo-cppn text-to-image network: a compositional pattern-producing network that maps each pixel's
/// coordinates (x, y, r) to an RGB colour, conditioned on a latent vector z (prompt embedding and seed noise).
/// The latent sets per-unit frequency gains and phases of the first layer and shifts the second, so different
/// prompts move every pattern the network draws. Weights come from a fixed seed; the bytes are reproducible.
/// </summary>
public static class CppnModel
{
    public const string FileName = "cuckoo-cppn.onnx";
    public const int PromptDims = 32;
    public const int SeedDims = 8;
    public const int LatentDims = PromptDims + SeedDims;
    public const int Hidden = 32;
    public const int CoordDims = 3;
    public const ulong WeightSeed = 0xC0C0_2026_0000_0001UL;

    public static byte[] Build()
    {
        var rng = new DeterministicRandom(WeightSeed);
        var graph = new GraphProto { Name = "cuckoo_cppn" };

        graph.Input.Add(Value("z", ["1", LatentDims.ToString()]));
        graph.Input.Add(Value("coords", ["pixels", CoordDims.ToString()]));
        graph.Output.Add(Value("rgb", ["pixels", "3"]));

        // Conditioning: gain in (0.5, 2.5) scales each first-layer unit's frequency, phase shifts it.
        graph.Initializer.Add(Tensor("w_gain", [LatentDims, Hidden], rng, 0.6f));
        graph.Initializer.Add(Tensor("w_phase", [LatentDims, Hidden], rng, 1.2f));
        graph.Initializer.Add(Tensor("w_shift", [LatentDims, Hidden], rng, 0.5f));
        graph.Initializer.Add(Constant("gain_offset", [1], 1.5f));
        graph.Initializer.Add(Tensor("w1", [CoordDims, Hidden], rng, 2.2f));
        graph.Initializer.Add(Tensor("w2", [Hidden, Hidden], rng, 1.6f / MathF.Sqrt(Hidden)));
        graph.Initializer.Add(Tensor("b2", [Hidden], rng, 0.3f));
        graph.Initializer.Add(Tensor("w3", [Hidden, Hidden], rng, 2.4f / MathF.Sqrt(Hidden)));
        graph.Initializer.Add(Tensor("b3", [Hidden], rng, 0.5f));
        graph.Initializer.Add(Tensor("w4", [Hidden, Hidden], rng, 1.6f / MathF.Sqrt(Hidden)));
        graph.Initializer.Add(Tensor("b4", [Hidden], rng, 0.3f));
        graph.Initializer.Add(Tensor("w_out", [Hidden, 3], rng, 2.5f / MathF.Sqrt(Hidden)));
        graph.Initializer.Add(Tensor("b_out", [3], rng, 0.2f));

        Node(graph, "MatMul", ["z", "w_gain"], "gain_raw");
        Node(graph, "Tanh", ["gain_raw"], "gain_tanh");
        Node(graph, "Add", ["gain_tanh", "gain_offset"], "gain");
        Node(graph, "MatMul", ["z", "w_phase"], "phase");
        Node(graph, "MatMul", ["z", "w_shift"], "shift");

        Node(graph, "MatMul", ["coords", "w1"], "a1");
        Node(graph, "Mul", ["a1", "gain"], "a1_gained");
        Node(graph, "Add", ["a1_gained", "phase"], "a1_phased");
        Node(graph, "Sin", ["a1_phased"], "h1");

        Node(graph, "MatMul", ["h1", "w2"], "a2");
        Node(graph, "Add", ["a2", "b2"], "a2_biased");
        Node(graph, "Add", ["a2_biased", "shift"], "a2_shifted");
        Node(graph, "Tanh", ["a2_shifted"], "h2");

        Node(graph, "MatMul", ["h2", "w3"], "a3");
        Node(graph, "Add", ["a3", "b3"], "a3_biased");
        Node(graph, "Sin", ["a3_biased"], "h3");

        Node(graph, "MatMul", ["h3", "w4"], "a4");
        Node(graph, "Add", ["a4", "b4"], "a4_biased");
        Node(graph, "Tanh", ["a4_biased"], "h4");

        Node(graph, "MatMul", ["h4", "w_out"], "o");
        Node(graph, "Add", ["o", "b_out"], "o_biased");
        Node(graph, "Sigmoid", ["o_biased"], "rgb");

        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Cuckoo.ModelGen",
            ProducerVersion = "1",
            Domain = "io.cuckoo",
            ModelVersion = 1,
            DocString = "cuckoo-cppn: latent z [1,40] (32 prompt embedding + 8 seed noise) and pixel coords [N,3] (x, y, r) -> rgb [N,3] in (0,1).",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        return model.ToByteArray();
    }

    private static void Node(GraphProto graph, string op, string[] inputs, string output)
    {
        var node = new NodeProto { OpType = op, Name = $"{op.ToLowerInvariant()}_{output}" };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        graph.Node.Add(node);
    }

    private static ValueInfoProto Value(string name, string[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(long.TryParse(dim, out var n)
                ? new TensorShapeProto.Types.Dimension { DimValue = n }
                : new TensorShapeProto.Types.Dimension { DimParam = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }

    private static TensorProto Tensor(string name, long[] dims, DeterministicRandom rng, float scale)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var count = dims.Aggregate(1L, (a, d) => a * d);
        for (var i = 0; i < count; i++)
        {
            tensor.FloatData.Add(rng.NextGaussian() * scale);
        }

        return tensor;
    }

    private static TensorProto Constant(string name, long[] dims, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.Add(value);
        return tensor;
    }
}

/// <summary>
/// SplitMix64 with an Irwin–Hall approximation of a standard normal: integer and float arithmetic only,
/// no transcendental functions, so every platform derives bit-identical weights.
/// </summary>
public sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 bits of precision (exact in float).</summary>
    public float NextUniform() => (NextUInt64() >> 40) / 16777216f;

    /// <summary>Sum of four uniforms, centred and scaled to unit variance.</summary>
    public float NextGaussian()
    {
        var sum = NextUniform() + NextUniform() + NextUniform() + NextUniform();
        return (sum - 2f) * 1.7320508f;
    }
}
