#include "data/gzip.h"

#include <array>

#include "core/error.h"
#include "data/inflate.h"

namespace cnn {

namespace {

// Header flag bits (RFC 1952, 2.3.1). FTEXT (1) is only a hint and is ignored.
constexpr uint8_t kFHcrc = 2, kFExtra = 4, kFName = 8, kFComment = 16;
constexpr uint8_t kReservedFlags = 0xE0;

constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = make_crc_table();

uint32_t read_le32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

// Reads one member starting at `pos`, appends its data to `out` and returns
// the position after its trailer. `what` is "" for the first member and
// "member 2: " etc. for later ones, so messages say where the problem is.
size_t read_member(const std::vector<uint8_t>& in, size_t pos, std::vector<uint8_t>& out,
                   const std::string& path, const std::string& what) {
  const size_t size = in.size();
  auto need = [&](size_t n, const char* where = "in the gzip header") {
    if (size - pos < n) throw FileError(path, what + "truncated (" + where + ")");
  };
  const size_t start = pos;
  need(10);
  if (in[pos] != 0x1f || in[pos + 1] != 0x8b) throw FileError(path, what + "not a gzip file");
  if (in[pos + 2] != 8)
    throw FileError(path, what + "unsupported gzip compression method " +
                              std::to_string(in[pos + 2]) + " (only deflate, 8, exists)");
  const uint8_t flags = in[pos + 3];
  if (flags & kReservedFlags)
    throw FileError(path, what + "corrupt gzip header (reserved flag bits are set)");
  pos += 10;  // magic, method, flags, mtime (4), extra flags, OS
  if (flags & kFExtra) {
    need(2);
    size_t xlen = size_t(in[pos]) | size_t(in[pos + 1]) << 8;
    pos += 2;
    need(xlen);
    pos += xlen;
  }
  for (uint8_t zero_terminated : {kFName, kFComment}) {
    if (!(flags & zero_terminated)) continue;
    while (pos < size && in[pos] != 0) ++pos;
    need(1);
    ++pos;
  }
  if (flags & kFHcrc) {
    need(2);
    uint32_t expected = uint32_t(in[pos]) | uint32_t(in[pos + 1]) << 8;
    if ((crc32(in.data() + start, pos - start) & 0xFFFF) != expected)
      throw FileError(path, what + "header CRC mismatch: gzip header corrupted");
    pos += 2;
  }

  detail::InflateResult body = detail::inflate_raw(in.data() + pos, size - pos);
  if (body.status == detail::InflateResult::Status::kTruncated)
    throw FileError(path, what + "truncated (in the compressed data)");
  if (body.status != detail::InflateResult::Status::kOk)
    throw FileError(path, what + "corrupt deflate stream");
  pos += body.consumed;
  need(8, "in the CRC/size trailer");
  uint32_t crc = read_le32(&in[pos]), isize = read_le32(&in[pos + 4]);
  pos += 8;
  if (crc32(body.out.data(), body.out.size()) != crc)
    throw FileError(path, what + "CRC mismatch: data corrupted");
  if (uint32_t(body.out.size()) != isize)  // ISIZE is the length modulo 2^32
    throw FileError(path, what + "size mismatch: the trailer says " + std::to_string(isize) +
                              " bytes but " + std::to_string(body.out.size()) +
                              " were decoded: data corrupted");
  if (out.empty())
    out = std::move(body.out);
  else
    out.insert(out.end(), body.out.begin(), body.out.end());
  return pos;
}

}  // namespace

bool is_gzip(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc) {
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = kCrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

std::vector<uint8_t> gunzip(const std::vector<uint8_t>& bytes,
                            const std::string& path_for_messages) {
  if (!is_gzip(bytes)) throw FileError(path_for_messages, "not a gzip file");
  std::vector<uint8_t> out;
  size_t pos = 0;
  for (int member = 1; pos < bytes.size(); ++member) {
    if (member > 1) {
      // After a member: another member, zero padding, or junk.
      size_t rest = pos;
      while (rest < bytes.size() && bytes[rest] == 0) ++rest;
      if (rest == bytes.size()) break;
      if (rest != pos || bytes[pos] != 0x1f || (pos + 1 < bytes.size() && bytes[pos + 1] != 0x8b))
        throw FileError(path_for_messages, "unexpected data after the gzip stream (" +
                                               std::to_string(bytes.size() - pos) +
                                               " bytes at offset " + std::to_string(pos) + ")");
    }
    std::string what = member == 1 ? "" : "member " + std::to_string(member) + ": ";
    pos = read_member(bytes, pos, out, path_for_messages, what);
  }
  return out;
}

}  // namespace cnn
