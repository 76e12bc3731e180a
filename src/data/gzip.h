// gzip (RFC 1952) decompression: header, deflate body (stb_image's decoder),
// CRC32 and size check. Data sets ship as .gz (Fashion-MNIST, CIFAR-10).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace cnn {

// True when bytes start with the gzip magic 1f 8b.
bool is_gzip(const std::vector<uint8_t>& bytes);

// The decompressed contents. Concatenated members are joined (as gzip -d
// does); zero bytes after the last member are ignored (tar pads this way).
// Every problem throws FileError(path_for_messages, ...): "not a gzip file",
// "truncated", "corrupt deflate stream", "CRC mismatch: data corrupted", ...
std::vector<uint8_t> gunzip(const std::vector<uint8_t>& bytes,
                            const std::string& path_for_messages);

// CRC-32 as gzip and PNG use it (reflected polynomial 0xEDB88320). Pass the
// previous result as `crc` to continue over several pieces.
uint32_t crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

}  // namespace cnn
