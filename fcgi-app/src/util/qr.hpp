// QR codes as SVG images (libqrencode), so that a page can show one from its own origin with
// the strict Content-Security-Policy (no inline data, no script).
#pragma once

#include <string>
#include <string_view>

namespace util {

// An SVG document of text's QR code (error correction M, a 4-module quiet zone, black on
// white, one path). Throws std::runtime_error when the text does not fit a QR code.
std::string qr_svg(std::string_view text, std::string_view title);

}  // namespace util
