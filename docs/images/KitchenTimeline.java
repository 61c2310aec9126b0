// Makes docs/images/kitchen-timeline.{txt,png} and kitchen-trace.json from a real run of the
// kitchen demo (system clock). Not part of the build. From the repository root, after
// ./mvnw -q -pl examples -am compile:
//   CP=core/target/classes:examples/target/classes
//   javac -cp $CP -d /tmp/tl docs/images/KitchenTimeline.java
//   java -Djava.awt.headless=true -cp $CP:/tmp/tl KitchenTimeline docs/images
import dev.simmer.*;
import dev.simmer.examples.Kitchen;

import javax.imageio.ImageIO;
import java.awt.*;
import java.awt.image.BufferedImage;
import java.io.*;
import java.nio.file.*;
import java.util.*;
import java.util.List;

public class KitchenTimeline {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Timeline timeline = Timeline.create();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Kitchen kitchen = new Kitchen(new PrintStream(printed, true));
        // a real run: the system clock, as the demo runs from the launcher
        Runner.create().timeline(timeline).run(kitchen::run);
        Files.writeString(out.resolve("kitchen-timeline.txt"), timeline.toGantt(72));
        timeline.writeChromeTrace(out.resolve("kitchen-trace.json"));
        System.out.print(printed);
        System.out.print(timeline.toGantt(72));
        png(timeline, out.resolve("kitchen-timeline.png"));
    }

    static void png(Timeline timeline, Path file) throws IOException {
        List<Timeline.Event> events = timeline.events();
        long end = events.get(events.size() - 1).timeNanos();
        Map<Integer, String> names = new TreeMap<>();
        for (Timeline.Event e : events) names.putIfAbsent(e.taskIndex(), e.task());
        int left = 110, top = 40, rowH = 28, width = 900, plot = width - left - 30;
        int height = top + rowH * names.size() + 70;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE); g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        Color run = new Color(0x1f, 0x4e, 0x9c), sleep = new Color(0x9e, 0xc5, 0xfe), await = new Color(0xf6, 0xb2, 0x6b), ready = new Color(0xdd, 0xdd, 0xdd);
        // axis: a tick per second
        g.setColor(Color.GRAY);
        for (long t = 0; t <= end; t += 500_000_000L) {
            int x = left + (int) (t * plot / end);
            g.drawLine(x, top - 5, x, top + rowH * names.size());
            g.drawString(String.format(Locale.ROOT, "%.1fs", t / 1e9), x - 12, top - 10);
        }
        Map<Integer, long[]> open = new HashMap<>();   // row -> {start, kind}
        for (Timeline.Event e : events) {
            int row = e.taskIndex();
            int y = top + row * rowH + 6;
            long[] o = open.get(row);
            if (o != null) {
                Color c = o[1] == 0 ? ready : o[1] == 1 ? run : o[1] == 2 ? sleep : await;
                int x0 = left + (int) (o[0] * plot / end), x1 = left + (int) (e.timeNanos() * plot / end);
                g.setColor(c);
                g.fillRect(x0, y, Math.max(2, x1 - x0), rowH - 12);
            }
            long kind = switch (e.kind()) {
                case CREATED -> 0;
                case RESUMED -> 1;
                case SUSPENDED -> e.detail().startsWith("sleeping") ? 2 : e.detail().startsWith("awaiting") ? 3 : 0;
                case FINISHED -> -1;
            };
            if (kind < 0) open.remove(row); else open.put(row, new long[] {e.timeNanos(), kind});
            if (e.kind() == Timeline.Kind.RESUMED) { // steps are short: draw each as a tick
                g.setColor(run);
                g.fillRect(left + (int) (e.timeNanos() * plot / end) - 1, y - 3, 3, rowH - 6);
            }
        }
        g.setColor(Color.BLACK);
        for (var n : names.entrySet()) g.drawString(n.getValue(), 10, top + n.getKey() * rowH + rowH / 2 + 5);
        int ly = top + rowH * names.size() + 35, lx = left;
        for (Object[] l : new Object[][] {{run, "running a step"}, {sleep, "sleeping"}, {await, "awaiting"}, {ready, "ready / not started"}}) {
            g.setColor((Color) l[0]); g.fillRect(lx, ly - 11, 14, 14);
            g.setColor(Color.BLACK); g.drawString((String) l[1], lx + 20, ly);
            lx += 170;
        }
        g.drawString("Time (loop time, real clock)", left, height - 8);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
    }
}
