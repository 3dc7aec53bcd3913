package kata.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SnapshotTest {
    @Test
    void portsDatesAndIdsAreScrubbedSoOnlyBehaviourChangesASnapshot() {
        String wire = "Origin: http://localhost:41234 and http://127.0.0.1:5555\n"
                + "Date: Wed, 25 Nov 2026 21:47:44 GMT\n"
                + "at 2026-11-25T21:47:44.123Z by 123e4567-e89b-12d3-a456-426614174000";
        assertEquals("Origin: http://localhost:PORT and http://127.0.0.1:PORT\n"
                        + "Date: [http date]\n"
                        + "at [iso time] by [uuid]",
                Snapshot.scrub(wire));
    }

    @Test
    void aDifferenceIsShownLineByLineInTheMessageWithNoCommandToApproveIt() {
        String message = Snapshot.differs("HTTP/1.1 200 OK\nContent-Type: application/json\n\n[]",
                "HTTP/1.1 200 OK\nContent-Type: text/html\n\n[]\nextra");
        assertEquals("""
                The answer differs from the approved snapshot in 2 lines:
                  line 2: expected «Content-Type: application/json»
                          but got  «Content-Type: text/html»
                  line 5: expected no line
                          but got  «extra»""", message);
    }
}
