package dev.simmer.benchmarks;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Draws the report's bar chart with XChart: for every workload, one bar per runtime, its
 * score divided by Simmer's (fast path) on that workload. The bars stand on the line of ratio
 * 1 and their height is the ratio's logarithm, so a bar up to "10x" means ten times Simmer's
 * time (or heap), a bar down to "0.1x" a tenth of it. Run by {@code report.py}, headless:
 *
 * <pre>
 * java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
 *     dev.simmer.benchmarks.RatioChart ratios.tsv docs/performance-ratios.png
 * </pre>
 *
 * The input is tab-separated: a header line {@code workload<TAB>runtime...}, then one line
 * per workload with a ratio per runtime, empty where the runtime does not run it.
 */
public final class RatioChart {
    private RatioChart() {
    }

    /** Arguments: the TSV file of ratios, the PNG file to write. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: RatioChart RATIOS.tsv OUT.png");
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        String[] header = lines.get(0).split("\t", -1);
        List<String> workloads = new ArrayList<>();
        List<List<Double>> ratios = new ArrayList<>();
        for (int r = 1; r < header.length; r++) {
            ratios.add(new ArrayList<>());
        }
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            workloads.add(cells[0]);
            for (int r = 1; r < header.length; r++) {
                String cell = r < cells.length ? cells[r].trim() : "";
                ratios.get(r - 1).add(cell.isEmpty() ? null : Math.log10(Double.parseDouble(cell)));
            }
        }

        CategoryChart chart = new CategoryChartBuilder()
                .width(1400).height(700)
                .title("Each runtime's time (or heap) divided by Simmer's (fast path), same run: up = more than Simmer")
                .xAxisTitle("workload").yAxisTitle("ratio to Simmer, fast path (log scale)")
                .build();
        Styler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setyAxisTickLabelsFormattingFunction(RatioChart::ratioLabel);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (int r = 1; r < header.length; r++) {
            List<Double> ys = ratios.get(r - 1);
            if (ys.stream().allMatch(y -> y == null)) {
                continue;
            }
            // No bar for a null value (a runtime without this workload); the category stays.
            chart.addSeries(header[r], workloads, ys);
        }
        BitmapEncoder.saveBitmap(chart, args[1], BitmapEncoder.BitmapFormat.PNG);
        System.out.println("wrote " + args[1] + " (" + workloads.size() + " workloads, "
                + Arrays.stream(header).skip(1).count() + " runtimes)");
    }

    /** A tick at log10(ratio) = v, labelled as the ratio: "0.1x", "1x", "3.2x", "100x". */
    private static String ratioLabel(Double v) {
        double ratio = Math.pow(10, v);
        if (ratio >= 10) {
            return String.format(java.util.Locale.ROOT, "%,.0fx", ratio);
        }
        return String.format(java.util.Locale.ROOT, ratio >= 1 ? "%.1fx" : "%.2fx", ratio);
    }
}
