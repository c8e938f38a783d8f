import Testing
@testable import Plot

/// Alt text is said from the data each mark draws, so these figures have answers worked out by hand.
struct DescriptionTests {
    @Test func linesAreDescribedByTheirEndsAndRankedByTheLast() {
        var panel = Panel(xLabel: "iteration", yLabel: "loss")
        panel.yScale = .logarithmic
        panel.line([0, 1, 2], [2.3, 1, 0.5], label: "SGD")
        panel.line([0, 1, 2], [2.3, 0.1, 0.01], label: "Adam")
        var figure = Figure(rows: 1, columns: 1)
        figure[0, 0] = panel
        #expect(figure.dataDescription == "Loss against iteration (log y); SGD 2.3 → 0.5, Adam 2.3 → 0.01 (ends highest: SGD; lowest: Adam).")
        #expect(figure.altText == "Loss against iteration (log y). At iteration 2 SGD is highest (0.5) and Adam lowest (0.01).")
    }

    @Test func histogramsGiveTheBinsOfTheMiddleHalfAndTheShareAboveTheRange() {
        // Ten values in five bins of 0.2 over 0...1: the first quartile (3rd value, 0.25) falls in
        // the bin from 0.2, the third (8th value, 0.75) in the bin up to 0.8; two of ten lie above 1.
        var panel = Panel()
        panel.add(HistogramMark(values: [0.05, 0.1, 0.25, 0.3, 0.45, 0.5, 0.7, 0.75, 1.5, 2], bins: 5, range: 0...1, label: "He"))
        #expect(panel.description == "He: middle half between 0.2 and 0.8, 20% above 1")
    }

    @Test func aHistogramMostlyAboveItsRangeSaysSo() {
        // Four values, three above the range: the third quartile lies beyond it.
        var panel = Panel()
        panel.add(HistogramMark(values: [0.5, 2, 3, 4], bins: 2, range: 0...1))
        #expect(panel.description == "middle half from 0.5 to beyond 1, 75% above 1")
        var above = Panel()
        above.add(HistogramMark(values: [0.5, 2, 3, 4, 5, 6, 7, 8], bins: 2, range: 0...1))
        #expect(above.description == "middle half above 1, 88% above 1")
    }

    @Test func notesThatRestateAMarkAreLeftOut() {
        var panel = Panel()
        panel.add(TextMark(x: 0, y: 0, text: "diverged"))
        panel.add(TextMark(x: 1, y: 1, text: "46k", described: false))
        #expect(panel.description == "a note: diverged")
    }

    @Test func barsOnACategoricalAxisAreNamedByTheirCategory() {
        var panel = Panel(yLabel: "share")
        panel.xTickLabels = [(0, "learning rate"), (1, "weight decay")]
        panel.add(BarMark(x: [0], heights: [0.9], width: 0.6, label: "learning rate"))
        panel.add(BarMark(x: [1], heights: [0.1], width: 0.6, label: "weight decay"))
        panel.add(ScatterMark(x: [0, 0, 1, 1], y: [0.8, 1, 0.1, 0.1], label: "seeds"))
        #expect(panel.description == "share; learning rate: 0.9; weight decay: 0.1; seeds by category, from lowest to highest: learning rate 0.8–1, weight decay 0.1")
        var figure = Figure()
        figure[0, 0] = panel
        #expect(figure.altText == "Share. The tallest bar is learning rate, at 0.9.")
    }

    @Test func altTextIsASentenceOrTwoWithinTheLimitWhateverTheFigure() {
        // Sixteen panels of two long-named lines each: the description runs long, the alt text
        // names the panels if it can, then the ends of the lines, and stops at the limit.
        var figure = Figure(rows: 4, columns: 4, title: "Accuracy per epoch")
        for index in 0..<16 {
            var panel = Panel(title: "scale=\(index)", xLabel: index >= 12 ? "epoch" : nil, yLabel: index % 4 == 0 ? "accuracy" : nil)
            panel.line([0, 1, 2], [0.1, 0.5, 0.9 - Double(index) / 100], label: "with Batch Normalization after every layer")
            panel.line([0, 1, 2], [0.1, 0.2, 0.1], label: "without it")
            figure[index / 4, index % 4] = panel
        }
        #expect(figure.dataDescription.count > 1000)
        #expect(figure.altText == "Accuracy per epoch, in 16 panels. In scale=0, at epoch 2 with Batch Normalization after every layer "
                + "is highest (0.9) and without it lowest (0.1).")
        // A panel of a grid is read by the labels its row and column show.
        #expect(figure.dataDescription.contains("Scale=5: accuracy against epoch; "))
        // Points scored by a value: the best one, and where.
        var scatter = Figure(title: "Trials")
        var trials = Panel(title: "random", xLabel: "learning rate", yLabel: "weight decay")
        trials.add(ScatterMark(x: [0.1, 0.01], y: [1e-5, 1e-6], values: [0.4, 0.8]))
        scatter[0, 0] = trials
        #expect(scatter.altText == "Trials. The best point scores 0.8 (random) at (0.01, 10⁻⁶).")
        #expect(Figure.cut("one two three", to: 10) == "one two…")
    }
}
