package io.dmap.aggregator.tally;

import io.dmap.common.events.RunPhase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/aggregator.md's phase table is {@link RunPhase#TRANSITIONS}, row for row. */
class PhaseTableTest {

    private static final String HEADER = "| from | to | cause |";

    @Test
    void theDocumentedTableIsTheCodesTable() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "aggregator.md"));
        int header = lines.stream().map(String::trim).toList().indexOf(HEADER);
        if (header < 0) {
            throw new AssertionError("docs/aggregator.md has no table headed " + HEADER);
        }
        List<RunPhase.Transition> documented = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).trim().startsWith("|"); i++) {
            String[] cells = lines.get(i).trim().split("\\|");
            documented.add(new RunPhase.Transition(RunPhase.valueOf(name(cells[1])), RunPhase.valueOf(name(cells[2])),
                    cells[3].trim()));
        }
        assertEquals(RunPhase.TRANSITIONS, documented);
    }

    private static String name(String cell) {
        return cell.replace("`", "").trim();
    }
}
