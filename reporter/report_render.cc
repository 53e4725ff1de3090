#include "reporter/report_render.h"

namespace sonde {

std::string RenderReport(const SlaReport& report, ReportFormat format) {
  switch (format) {
    case ReportFormat::kHtml: return RenderHtml(report);
    case ReportFormat::kMarkdown: return RenderMarkdown(report);
    case ReportFormat::kJson: return RenderJson(report);
    case ReportFormat::kCsv: return RenderCsv(report);
  }
  return {};
}

}  // namespace sonde
