package eu.massbalance.testinfra;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

public final class Ports {

    private Ports() {
    }

    public static int free() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isOpen(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void awaitOpen(String host, int port, Duration timeout, Process owner) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isOpen(host, port)) {
            if (!owner.isAlive()) {
                throw new IllegalStateException("Process exited with code " + owner.exitValue() + " before port " + port + " opened");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Port " + port + " did not open within " + timeout);
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos()); // polling a socket; there is nothing to wait on
        }
    }
}
