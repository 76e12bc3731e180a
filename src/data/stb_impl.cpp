// The one translation unit that compiles stb_image (STB_IMAGE_IMPLEMENTATION
// must be defined in exactly one file of the program). The gzip reader uses
// its zlib decoder; image loading uses the same compiled copy.
//
// stb's public zlib functions do not say how many input bytes the deflate
// stream used, but gzip needs that to find the CRC/size trailer and the next
// member. So inflate_raw() drives stb's internal decoder (stbi__zbuf,
// stbi__do_zlib) directly; they are static, hence this code lives in the same
// file. Both builds use the same Debian stb_image.h (v2.27), so the internals
// are pinned.
#define STB_IMAGE_IMPLEMENTATION
#include <stb/stb_image.h>

#include <cstring>

#include "data/inflate.h"

namespace cnn::detail {

namespace {

struct Decoded {
  bool ok = false;
  char* out = nullptr;  // malloc'ed by stb
  int out_size = 0;
  size_t pulled = 0;     // bytes the decoder took from the input (up to 4 are look-ahead)
  size_t read_end = 0;   // end of the stream: pulled minus whole bytes unused in the bit buffer
  bool hit_end = false;  // the decoder reached the end of the input
};

Decoded run_stb(const uint8_t* data, size_t size) {
  Decoded d;
  stbi__zbuf z;
  std::memset(&z, 0, sizeof z);
  z.zbuffer = const_cast<stbi_uc*>(data);
  z.zbuffer_end = const_cast<stbi_uc*>(data) + size;
  const int initial = 1 << 16;
  char* start = static_cast<char*>(STBI_MALLOC(initial));
  if (!start) return d;
  d.ok = stbi__do_zlib(&z, start, initial, /*exp=*/1, /*parse_header=*/0) != 0;
  d.out = z.zout_start;  // stb may have reallocated the buffer
  d.out_size = int(z.zout - z.zout_start);
  d.pulled = size_t(z.zbuffer - data);
  size_t unused = z.num_bits > 0 ? size_t(z.num_bits / 8) : 0;
  d.read_end = d.pulled >= unused ? d.pulled - unused : 0;
  d.hit_end = z.zbuffer >= z.zbuffer_end;
  return d;
}

}  // namespace

InflateResult inflate_raw(const uint8_t* data, size_t size) {
  InflateResult r;
  Decoded d = run_stb(data, size);
  if (d.ok && !d.hit_end) {
    r.status = InflateResult::Status::kOk;
    r.out.assign(d.out, d.out + d.out_size);
    r.consumed = d.read_end;
    STBI_FREE(d.out);
    return r;
  }
  STBI_FREE(d.out);
  if (d.ok) {  // decoded, but the look-ahead reached the end: the trailer is cut off
    r.status = InflateResult::Status::kTruncated;
    return r;
  }
  // Failed. stb reads zeros past the end of its input, so a cut-off stream and
  // a corrupt one can fail alike. Tell them apart by decoding again with zero
  // padding: if the decoder now takes bytes beyond the real end, the stream
  // runs into the last 4 bytes or further, where a complete gzip member has
  // its 8-byte trailer: truncated. A little padding settles most cases
  // quickly; a cut-off stored block needs more than its length (up to 65535).
  r.status = InflateResult::Status::kCorrupt;
  for (size_t padding : {size_t(64), size_t(65536 + 8)}) {
    std::vector<uint8_t> padded(size + padding, 0);
    if (size > 0) std::memcpy(padded.data(), data, size);
    Decoded again = run_stb(padded.data(), padded.size());
    STBI_FREE(again.out);
    if (again.pulled > size) {
      r.status = InflateResult::Status::kTruncated;
      break;
    }
  }
  return r;
}

}  // namespace cnn::detail
