package kata.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The starter's rules where Windows differs: tested here on any system, since CI has no Windows. */
class KataBootTest {
    private static final Path ROOT = Path.of("/work/kata");

    @Test
    void mavenIsKataMvnThenTheSystemsMvnThenTheWrapper() {
        assertEquals("/opt/mvn/bin/mvn", KataBoot.maven(ROOT, Map.of("KATA_MVN", "/opt/mvn/bin/mvn"), false, ":", p -> true));
        assertEquals("/usr/bin/mvn", KataBoot.maven(ROOT, Map.of("PATH", "/bin:/usr/bin"), false, ":",
                p -> p.toString().equals("/usr/bin/mvn")));
        assertEquals(ROOT.resolve("mvnw").toString(), KataBoot.maven(ROOT, Map.of("PATH", "/bin:/usr/bin"), false, ":", p -> false));
    }

    @Test
    void onWindowsThePathIsSplitOnSemicolonsDriveLettersStayWholeAndMvnIsACmd() {
        Map<String, String> env = Map.of("Path", "C:\\Windows\\system32;C:\\Program Files\\Maven\\bin");
        List<String> asked = new java.util.ArrayList<>();
        String found = KataBoot.maven(ROOT, env, true, ";", p -> {
            asked.add(p.toString());
            return p.toString().endsWith("mvn.cmd") && p.toString().contains("Maven");
        });
        // Asked for mvn.cmd and mvn.bat in each folder of Path (Windows spells it Path), drive letters whole.
        assertTrue(asked.stream().anyMatch(p -> p.startsWith("C:\\Windows\\system32") && p.endsWith("mvn.cmd")), asked.toString());
        assertTrue(found.startsWith("C:\\Program Files\\Maven\\bin") && found.endsWith("mvn.cmd"), found);
        assertTrue(KataBoot.maven(ROOT, env, true, ";", p -> false).endsWith("mvnw.cmd"));
        // A .cmd runs through cmd.exe; elsewhere, and a plain mvn, run as they are.
        assertEquals(List.of("cmd.exe", "/c", "C:\\Maven\\bin\\mvn.cmd"), KataBoot.command("C:\\Maven\\bin\\mvn.cmd", true));
        assertEquals(List.of("/usr/bin/mvn"), KataBoot.command("/usr/bin/mvn", false));
    }

    @Test
    void theClassPathArgumentJoinsWithTheSystemsSeparatorAndKeepsBackSlashes() {
        assertEquals("-cp \"/a/x.jar:/b/y.jar\"\n", KataBoot.classPathArgument(List.of("/a/x.jar", "/b/y.jar"), ":"));
        // In a java @argfile a back-slash escapes: Windows paths keep theirs by doubling them.
        assertEquals("-cp \"C:\\\\m2\\\\x.jar;D:\\\\kata\\\\classes\"\n",
                KataBoot.classPathArgument(List.of("C:\\m2\\x.jar", "D:\\kata\\classes"), ";"));
    }

    @Test
    void coloursOnlyOnATerminalThatUnderstandsThem() {
        assertTrue(KataBoot.colours(Map.of("TERM", "xterm-256color"), true, false));
        assertFalse(KataBoot.colours(Map.of("TERM", "xterm-256color"), false, false), "piped: plain text");
        assertFalse(KataBoot.colours(Map.of("TERM", "xterm", "NO_COLOR", "1"), true, false));
        assertFalse(KataBoot.colours(Map.of("TERM", "dumb"), true, false));
        assertFalse(KataBoot.colours(Map.of(), true, true), "a plain Windows console: no ANSI");
        assertTrue(KataBoot.colours(Map.of("WT_SESSION", "1"), true, true), "Windows Terminal understands ANSI");
    }
}
