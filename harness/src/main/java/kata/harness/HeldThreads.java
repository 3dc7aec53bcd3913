package kata.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The threads that sit still inside a chapter's own code: waiting, sleeping or blocked there. A held request,
 * a stream or a socket must not keep a thread (that is what the non-blocking chapters teach), so a thread
 * found waiting in the learner's code is the clearest evidence a test can show.
 */
public final class HeldThreads {
    private HeldThreads() {
    }

    /**
     * One line per thread that is waiting, sleeping or blocked with a frame of {@code anchor}'s package (loaded
     * by the same class loader, so that another run's classes never count), naming that frame. The threads that
     * stop servers ({@link Served}) wait in a server's close() and are never counted: they are the harness's.
     */
    public static List<String> inside(Class<?> anchor) {
        String prefix = anchor.getPackageName() + ".";
        String loader = anchor.getClassLoader() == null ? null : anchor.getClassLoader().getName();
        List<String> held = new ArrayList<>();
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            if (entry.getKey().getName().startsWith(Served.STOPPER)) {
                continue; // the harness's own thread, waiting for a server to stop
            }
            Thread.State state = entry.getKey().getState();
            if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING && state != Thread.State.BLOCKED) {
                continue;
            }
            for (StackTraceElement frame : entry.getValue()) {
                if (frame.getClassName().startsWith(prefix) && Objects.equals(frame.getClassLoaderName(), loader)) {
                    held.add("thread '" + entry.getKey().getName() + "' is " + state.name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ') + " in " + frame.getClassName() + "." + frame.getMethodName()
                            + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")");
                    break;
                }
            }
        }
        return held;
    }
}
