// QR codes as SVG.
#include "util/qr.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

#include "util/html.hpp"

namespace util {
namespace {

struct QrFree {
    void operator()(QRcode* q) const noexcept { QRcode_free(q); }
};

}  // namespace

std::string qr_svg(std::string_view text, std::string_view title) {
    const std::string input(text);
    std::unique_ptr<QRcode, QrFree> qr(
        QRcode_encodeString(input.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr) throw std::runtime_error("QRcode_encodeString failed");
    constexpr int kQuiet = 4;
    const int width = qr->width;
    const int size = width + 2 * kQuiet;
    std::string path;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width; ++x) {
            // Bit 0 of each byte: the module is dark.
            if (qr->data[y * width + x] & 1)
                path += "M" + std::to_string(x + kQuiet) + " " + std::to_string(y + kQuiet) +
                        "h1v1h-1z";
        }
    }
    const std::string n = std::to_string(size);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + " " + n +
           "\" width=\"" + std::to_string(size * 6) + "\" height=\"" + std::to_string(size * 6) +
           "\" shape-rendering=\"crispEdges\" role=\"img\"><title>" + html_escape(title) +
           "</title><rect width=\"" + n + "\" height=\"" + n + "\" fill=\"#fff\"/><path d=\"" +
           path + "\" fill=\"#000\"/></svg>\n";
}

}  // namespace util
