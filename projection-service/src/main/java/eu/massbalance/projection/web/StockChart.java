package eu.massbalance.projection.web;

import com.fasterxml.jackson.databind.JsonNode;
import eu.massbalance.projection.store.ReadModels;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sustainable stock in batches through a period, per product: the opening stock, then each
 * movement's received and drawn portions in log order. Drawn as a step line in SVG, with its
 * figures in a table beside it for those who do not see the picture.
 */
@io.quarkus.qute.TemplateData
record StockChart(String product, String unit, String svg, String opening, String closing, String low) {

    static final int WIDTH = 640;
    static final int HEIGHT = 160;

    static List<StockChart> of(JsonNode balance, List<ReadModels.Movement> movements) {
        List<StockChart> charts = new ArrayList<>();
        for (JsonNode product : balance.path("products")) {
            String name = product.path("product").asText();
            BigDecimal level = new BigDecimal(product.path("opening").asText("0"));
            List<BigDecimal> levels = new ArrayList<>(List.of(level));
            for (ReadModels.Movement m : movements) {
                if (!name.equals(m.product())) {
                    continue;
                }
                for (ReadModels.PortionLine p : m.portions()) {
                    if ("RECEIVED".equals(p.kind())) {
                        level = level.add(p.amount());
                    } else if ("DRAWN".equals(p.kind())) {
                        level = level.subtract(p.amount());
                    }
                }
                levels.add(level);
            }
            BigDecimal max = levels.stream().reduce(BigDecimal.ONE, BigDecimal::max);
            BigDecimal min = levels.stream().reduce(BigDecimal.ZERO, BigDecimal::min);
            double span = max.subtract(min).doubleValue();
            StringBuilder points = new StringBuilder();
            double previousY = 0;
            for (int i = 0; i < levels.size(); i++) {
                double x = levels.size() == 1 ? 0 : (double) i * WIDTH / (levels.size() - 1);
                double y = HEIGHT - (levels.get(i).subtract(min).doubleValue() / span) * HEIGHT;
                if (i > 0) {
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, previousY)); // a step: level until the movement
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                previousY = y;
            }
            double zero = HEIGHT - (BigDecimal.ZERO.subtract(min).doubleValue() / span) * HEIGHT;
            String svg = String.format(Locale.ROOT, "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" height=\"%d\" role=\"img\" aria-label=\"%s\">"
                            + "<line x1=\"0\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"zero\"/>"
                            + "<polyline fill=\"none\" class=\"stock\" points=\"%s\"/></svg>",
                    WIDTH, HEIGHT, HEIGHT, name, zero, WIDTH, zero, points.toString().trim());
            BigDecimal low = levels.stream().reduce(levels.get(0), BigDecimal::min);
            charts.add(new StockChart(name, product.path("unit").asText(), svg, levels.get(0).toPlainString(),
                    levels.get(levels.size() - 1).toPlainString(), low.toPlainString()));
        }
        return charts;
    }
}
