using Cuckoo.Inference.Imaging;

namespace Cuckoo.Inference.Tests;

public sealed class ImageResizeTests
{
    [Fact]
    public void Same_size_only_normalizes_and_maps_channels()
    {
        var image = new RgbImage(2, 1, 3, [255, 0, 51, 0, 102, 255]);
        var planes = new float[6];
        ImageResize.ToNormalizedPlanes(image, 2, 1, [2, 1, 0], [0f, 0f, 0f], [1f, 1f, 1f], planes);
        Assert.Equal([0.2f, 1f, 0f, 0.4f, 1f, 0f], planes, new ToleranceComparer(1e-6f));
    }

    [Fact]
    public void Downscaling_by_two_averages_pixel_pairs()
    {
        var image = new RgbImage(4, 2, 3, Enumerable.Range(0, 24).Select(i => (byte)((i / 3 % 4) * 60)).ToArray());
        var planes = new float[3 * 2 * 1];
        ImageResize.ToNormalizedPlanes(image, 2, 1, [0, 1, 2], [0f, 0f, 0f], [1f, 1f, 1f], planes);
        // Columns 0,60,120,180: half-pixel centres sample between 0|60 and 120|180.
        Assert.Equal([30f / 255, 150f / 255], planes[..2], new ToleranceComparer(1e-5f));
    }

    private sealed class ToleranceComparer(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
