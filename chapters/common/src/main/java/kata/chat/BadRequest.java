package kata.chat;

/** A request the server refuses, with the status to answer and a reason a client developer can act on. */
public final class BadRequest extends RuntimeException {
    private final int status;

    public BadRequest(int status, String reason) {
        super(reason);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
