using System.Text;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Miner.Work;

namespace Cuckoo.Miner.Tests;

public sealed class WorkInputsTests
{
    [Fact]
    public void A_prompt_and_its_parameters_become_a_text_to_image_input()
    {
        var parameters = new Dictionary<string, string> { ["width"] = "64", ["height"] = "32", ["seed"] = "-9000000000" };
        Assert.True(WorkInputs.TryConvert(ModelTask.TextToImage, Encoding.UTF8.GetBytes("a red fox ü"), parameters, out var input, out _));
        Assert.Equal(new TextToImageInput("a red fox ü", -9_000_000_000, 64, 32), input);

        Assert.True(WorkInputs.TryConvert(ModelTask.TextToImage, Encoding.UTF8.GetBytes("cat"), null, out input, out _));
        Assert.Equal(new TextToImageInput("cat"), input);
    }

    [Fact]
    public void An_image_is_passed_as_it_is()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47];
        Assert.True(WorkInputs.TryConvert(ModelTask.TextDetection, png, null, out var input, out _));
        Assert.Same(png, Assert.IsType<ImageInput>(input).Png);
    }

    [Theory]
    [InlineData("width", "wide", "parameter 'width' must be an integer, not 'wide'")]
    [InlineData("height", "1.5", "parameter 'height' must be an integer")]
    [InlineData("width", "1,000", "parameter 'width' must be an integer")]
    [InlineData("height", "99999999999", "parameter 'height' is out of range")]
    [InlineData("seed", "", "parameter 'seed' must be an integer")]
    public void Unparsable_parameters_are_refused_with_their_name(string name, string value, string reason)
    {
        Assert.False(WorkInputs.TryConvert(ModelTask.TextToImage, "cat"u8.ToArray(), new Dictionary<string, string> { [name] = value }, out _, out var problem));
        Assert.StartsWith(reason, problem);
    }

    [Fact]
    public void A_prompt_that_is_not_utf8_is_refused()
    {
        Assert.False(WorkInputs.TryConvert(ModelTask.TextToImage, [0x63, 0xFF, 0x74], null, out _, out var problem));
        Assert.Equal("the prompt is not valid UTF-8", problem);
    }
}
