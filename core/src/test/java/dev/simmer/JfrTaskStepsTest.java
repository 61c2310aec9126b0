package dev.simmer;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JfrTaskStepsTest {

    private static void twoSleepers(Runner runner) throws Exception {
        runner.run(() -> {
            Task<Void> a = Async.createTask("sleeper", () -> {
                Async.sleep(Duration.ofMillis(5));
                Async.sleep(Duration.ofMillis(5));
            });
            a.await();
        });
    }

    private static List<RecordedEvent> record(Runner runner, Path dir) throws Exception {
        Path file = dir.resolve("steps.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("dev.simmer.TaskStep");
            recording.start();
            twoSleepers(runner);
            recording.stop();
            recording.dump(file);
        }
        // in the order the steps began: a recording keeps one buffer per (carrier) thread, so the
        // file is not in time order when the loop runs on a virtual thread (threads engine)
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.simmer.TaskStep"))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime)).toList();
    }

    @Test
    void eachStepOfATaskIsAnEvent(@TempDir Path dir) throws Exception {
        List<RecordedEvent> steps = record(Runner.create().virtualTime(true).jfrEvents(true), dir);
        List<RecordedEvent> sleeper = steps.stream().filter(e -> "sleeper".equals(e.getString("task"))).toList();
        assertThat(sleeper).hasSize(3);
        assertThat(sleeper.get(0).getString("then")).startsWith("sleeping, ");
        assertThat(sleeper.get(2).getString("then")).isEqualTo("succeeded");
        assertThat(steps).anySatisfy(e -> assertThat(e.getString("task")).isEqualTo("main"));
    }

    @Test
    void withoutTheOptionNothingIsRecorded(@TempDir Path dir) throws Exception {
        assertThat(record(Runner.create().virtualTime(true), dir)).isEmpty();
    }

    @Test
    void aTimelineAndJfrEventsCanRecordTogether(@TempDir Path dir) throws Exception {
        Timeline timeline = Timeline.create();
        List<RecordedEvent> steps = record(Runner.create().virtualTime(true).jfrEvents(true).timeline(timeline), dir);
        long timelineSteps = timeline.events().stream().filter(e -> e.kind() == Timeline.Kind.RESUMED).count();
        assertThat(steps).hasSize((int) timelineSteps);
    }
}
