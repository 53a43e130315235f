package org.brandequity.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.brandequity.command.Cli;
import org.brandequity.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RejectFileTest {
    @TempDir
    Path dir;

    private List<Map<String, String>> rows(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void aRawRowStartingWithAFormulaCharacterIsWrittenWithALeadingQuote() throws Exception {
        Path path = dir.resolve("r.csv");
        try (RejectFile r = new RejectFile(path)) {
            for (String raw : List.of("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "plain,=not first")) {
                r.write(dir.resolve("in.csv"), 1, "reason", raw);
            }
        }
        assertEquals(List.of("'=HYPERLINK(\"http://x\")", "'+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "plain,=not first"),
                rows(path).stream().map(m -> m.get("raw")).toList());
    }

    @Test
    void reasonsStartingWithAFormulaCharacterAreNeutralisedToo() throws Exception {
        Path path = dir.resolve("r.csv");
        try (RejectFile r = new RejectFile(path)) {
            r.write(dir.resolve("in.csv"), 1, "=1+1", "x");
        }
        assertEquals("'=1+1", rows(path).get(0).get("reasons"));
    }

    @Test
    void aRejectPathThatIsAnInputIsRefusedNamingTheOptionAndTheInputIsKept() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), "a,b\n1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileImport.checkRejectPaths(List.of(input), dir.resolve("sub/../in.csv")));
        assertTrue(e.getMessage().startsWith("--rejects: "), e.getMessage());
        assertEquals("a,b\n1,2\n", Files.readString(input));
    }

    @Test
    void aDefaultRejectPathThatIsAnotherInputIsRefused() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), "a\n1\n");
        Path other = Files.writeString(dir.resolve("in.csv.rejects.csv"), "a\n2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileImport.checkRejectPaths(List.of(input, other), null));
        assertTrue(e.getMessage().startsWith("--rejects"), e.getMessage());
        assertEquals("a\n2\n", Files.readString(other));
    }

    @Test
    void anExistingFileThatIsNotARejectFileIsRefusedAndKept() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), "a\n1\n");
        Path precious = Files.writeString(dir.resolve("notes.csv"), "my,notes\n");
        assertThrows(IllegalArgumentException.class, () -> FileImport.checkRejectPaths(List.of(input), precious));
        assertEquals("my,notes\n", Files.readString(precious));
    }

    @Test
    void aRejectFileOfAnEarlierRunIsAcceptedAndRemovedAtStart() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), "a\n1\n");
        Path earlier = Files.writeString(dir.resolve("in.csv.rejects.csv"), RejectFile.HEADER + "\nin.csv,1,x,y\n");
        FileImport.checkRejectPaths(List.of(input), null);
        new RejectFile(earlier).close();
        assertFalse(Files.exists(earlier));
    }

    @Test
    void theImportCommandExitsWithTwoAndOneLineWhenTheRejectPathIsAnInput() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ndjson"), "{}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        int status = Main.commandLine("brand-equity.jar", cli).execute("import", "--progress", "none",
                "--set", "bootstrap.servers=127.0.0.1:1", "--set", "schema.registry.url=http://127.0.0.1:1",
                "--rejects", input.toString(), input.toString());
        assertEquals(2, status, err.toString(StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("--rejects"), text);
        assertEquals("{}\n", Files.readString(input));
    }

    @Test
    void anEmptyFileAtTheRejectPathIsAccepted() throws Exception {
        Path input = Files.writeString(dir.resolve("in.csv"), "a\n1\n");
        Path empty = Files.createFile(dir.resolve("made-by-mktemp.csv"));
        FileImport.checkRejectPaths(List.of(input), empty);
        new RejectFile(empty).close();
        assertFalse(Files.exists(empty));
    }
}
