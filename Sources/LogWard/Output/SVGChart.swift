import Foundation
import LogWardAggregate

/// Charts drawn by logward as inline SVG, so a report needs no script and no network to show them.
enum SVGChart {
    struct Series {
        var name: String
        var values: [Double]
        var color: String
    }

    static let width = 760.0
    static let height = 240.0
    private static let left = 64.0
    private static let right = 16.0
    private static let top = 28.0
    private static let bottom = 40.0

    /// One line per series over the labels (days), with a point per value and its exact number as a tooltip.
    static func lines(title: String, labels: [String], series: [Series], unit: String = "") -> String {
        let maximum = niceMaximum(series.flatMap(\.values).max() ?? 0)
        let plotWidth = width - left - right
        let step = labels.count > 1 ? plotWidth / Double(labels.count - 1) : 0
        func x(_ index: Int) -> Double { labels.count > 1 ? left + Double(index) * step : left + plotWidth / 2 }
        var svg = open(title: title) + axes(maximum: maximum, unit: unit) + xLabels(labels, at: x)
        for (position, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(format(x($0.offset))),\(format(y($0.element, maximum)))" }
            svg += "<g class=\"series\" data-series=\"\(HTMLText.escape(line.name))\">"
            if points.count > 1 {
                svg += "<polyline fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>"
            }
            for (index, value) in line.values.enumerated() {
                svg += "<circle cx=\"\(format(x(index)))\" cy=\"\(format(y(value, maximum)))\" r=\"3\" fill=\"\(line.color)\">"
                svg += "<title>\(HTMLText.escape(labels[index])) \(HTMLText.escape(line.name)): \(number(value))\(unit)</title></circle>"
            }
            svg += "</g>"
            // The legend, above the plot.
            let legendX = left + Double(position) * 150
            svg += "<rect x=\"\(format(legendX))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(line.color)\"/>"
            svg += "<text x=\"\(format(legendX + 16))\" y=\"18\" class=\"legend\">\(HTMLText.escape(line.name))</text>"
        }
        return svg + "</svg>"
    }

    /// A vertical bar per label (hours of the day, status codes).
    static func bars(title: String, labels: [String], values: [Double], color: String) -> String {
        let maximum = niceMaximum(values.max() ?? 0)
        let plotWidth = width - left - right
        let slot = labels.isEmpty ? plotWidth : plotWidth / Double(labels.count)
        func x(_ index: Int) -> Double { left + (Double(index) + 0.5) * slot }
        var svg = open(title: title) + axes(maximum: maximum, unit: "") + xLabels(labels, at: x)
        svg += "<g class=\"series\" data-series=\"\(HTMLText.escape(title))\">"
        for (index, value) in values.enumerated() {
            let barTop = y(value, maximum)
            svg += "<rect class=\"bar\" x=\"\(format(x(index) - slot * 0.4))\" y=\"\(format(barTop))\" width=\"\(format(slot * 0.8))\" "
            svg += "height=\"\(format(height - bottom - barTop))\" fill=\"\(color)\">"
            svg += "<title>\(HTMLText.escape(labels[index])): \(number(value))</title></rect>"
        }
        return svg + "</g></svg>"
    }

    private static func open(title: String) -> String {
        "<svg class=\"chart\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\" viewBox=\"0 0 \(format(width)) \(format(height))\" "
            + "xmlns=\"http://www.w3.org/2000/svg\"><title>\(HTMLText.escape(title))</title>"
    }

    private static func y(_ value: Double, _ maximum: Double) -> Double {
        let plotHeight = height - top - bottom
        return height - bottom - (maximum > 0 ? value / maximum * plotHeight : 0)
    }

    /// Four grid lines with their values, and the axes.
    private static func axes(maximum: Double, unit: String) -> String {
        var svg = ""
        for step in 0...4 {
            let value = maximum * Double(step) / 4
            let lineY = y(value, maximum)
            svg += "<line class=\"grid\" x1=\"\(format(left))\" x2=\"\(format(width - right))\" y1=\"\(format(lineY))\" y2=\"\(format(lineY))\"/>"
            svg += "<text class=\"tick\" x=\"\(format(left - 6))\" y=\"\(format(lineY + 4))\" text-anchor=\"end\">\(number(value))\(unit)</text>"
        }
        return svg
    }

    /// At most about ten labels under the axis: every n-th, and the last when it is not crowded by the one before.
    private static func xLabels(_ labels: [String], at x: (Int) -> Double) -> String {
        guard !labels.isEmpty else { return "" }
        let every = max(1, Int((Double(labels.count) / 10).rounded(.up)))
        let last = labels.count - 1
        var svg = ""
        for index in labels.indices where index % every == 0 || (index == last && last % every >= max(1, every / 2)) {
            // The last label ends at its point, so it is not cut by the chart's edge.
            let anchor = index == last && labels.count > 1 ? "end" : "middle"
            svg += "<text class=\"tick\" x=\"\(format(x(index)))\" y=\"\(format(height - bottom + 16))\" text-anchor=\"\(anchor)\">"
            svg += "\(HTMLText.escape(labels[index]))</text>"
        }
        return svg
    }

    /// The axis top: 1, 2 or 5 times a power of ten, at or above the largest value.
    static func niceMaximum(_ value: Double) -> Double {
        guard value > 0 else { return 1 }
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    /// Whole numbers with thousands separators; others with two decimals.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return grouped(Int64(value)) }
        return String(format: "%.2f", value)
    }

    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { result += "," }
            result.append(digit)
        }
        return (value < 0 ? "-" : "") + result
    }
}

/// Text made safe for HTML: log fields (paths, referrers, user agents) are attacker-chosen.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
