using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Numerics;

namespace Cuckoo.Inference.Imaging;

/// <summary>
/// Writes our own pixels as PNG: one IHDR, one IDAT of Sub-filtered rows through the runtime's zlib (zlib-ng), one IEND.
/// Ours rather than Skia's encoder because encoding is on every task's path: Skia's bundled zlib took 2.9 ms for a
/// 256×256 cuckoo-cppn image at level 1, zlib-ng 2.2 ms at level 2 for the same 101 KB, and Skia also needs the RGB
/// widened to RGBA first. Decoding, where the bytes may be hostile, stays with Skia's libpng.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>Row filter 1 (Sub): each byte minus the same channel of the pixel before; smooth images become runs of small numbers.</summary>
    private const byte Sub = 1;

    public static byte[] Write(ReadOnlySpan<byte> pixels, int width, int height, int channels, int zlibLevel)
    {
        var colourType = channels switch { 1 => (byte)0, 3 => (byte)2, _ => (byte)6 };
        var row = width * channels;
        var stride = 1 + row;
        var filtered = ArrayPool<byte>.Shared.Rent(checked(stride * height));
        using var compressed = new PooledStream(stride * height / 2);
        try
        {
            for (var y = 0; y < height; y++)
            {
                FilterSub(pixels.Slice(y * row, row), filtered.AsSpan(y * stride, stride), channels);
            }
            using (var zlib = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = zlibLevel }, leaveOpen: true))
            {
                zlib.Write(filtered, 0, stride * height);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(filtered);
        }

        var idat = compressed.Written;
        var png = new byte[Signature.Length + (12 + 13) + (12 + idat.Length) + 12];
        Signature.CopyTo(png);
        var at = Signature.Length;
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bits per channel
        header[9] = colourType;
        // Compression 0 (deflate), filter method 0 (the five row filters), no interlacing.
        header[10] = header[11] = header[12] = 0;
        at = Chunk(png, at, "IHDR"u8, header);
        at = Chunk(png, at, "IDAT"u8, idat);
        Chunk(png, at, "IEND"u8, []);
        return png;
    }

    private static void FilterSub(ReadOnlySpan<byte> source, Span<byte> target, int channels)
    {
        target[0] = Sub;
        var output = target[1..];
        source[..channels].CopyTo(output);
        var i = channels;
        // Sub reads unfiltered bytes only, so whole vectors are independent of each other.
        for (; i + Vector<byte>.Count <= source.Length; i += Vector<byte>.Count)
        {
            (new Vector<byte>(source[i..]) - new Vector<byte>(source[(i - channels)..])).CopyTo(output[i..]);
        }
        for (; i < source.Length; i++)
        {
            output[i] = (byte)(source[i] - source[i - channels]);
        }
    }

    /// <summary>Length, type, data and the CRC-32 of type and data, at <paramref name="at"/>; where the next chunk goes.</summary>
    private static int Chunk(byte[] png, int at, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(at), data.Length);
        type.CopyTo(png.AsSpan(at + 4));
        data.CopyTo(png.AsSpan(at + 8));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(at + 8 + data.Length), Crc32.HashToUInt32(png.AsSpan(at + 4, 4 + data.Length)));
        return at + 12 + data.Length;
    }

    /// <summary>
    /// A write-only stream into a pooled buffer: the deflated rows of a large image would otherwise be one more
    /// large-object-heap array per task (a MemoryStream's, grown by copying), which the collector then sweeps.
    /// </summary>
    private sealed class PooledStream(int initialCapacity) : Stream
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
        private int _length;

        public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_length + buffer.Length > _buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + buffer.Length));
                _buffer.AsSpan(0, _length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            buffer.CopyTo(_buffer.AsSpan(_length));
            _length += buffer.Length;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && _buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = [];
            }
            base.Dispose(disposing);
        }
    }
}
