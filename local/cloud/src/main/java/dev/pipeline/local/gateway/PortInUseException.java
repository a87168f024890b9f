package dev.pipeline.local.gateway;

/** The gateway's port is taken (another local cloud, or another program). */
public class PortInUseException extends RuntimeException {
    public PortInUseException(int port, Throwable cause) {
        super("port " + port + " on 127.0.0.1 is already in use (is a local cloud already running? try "
                + "'./pipeline local status', or choose another with --port)", cause);
    }
}
