package eu.massbalance.system;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A lean load generator for one HTTP/1.1 request sent at a fixed rate: a few keep-alive
 * connections, each on its own thread with blocking socket I/O, so that the generator itself takes
 * little of the CPU it shares with the system measured. Request {@code i} is due at
 * {@code start + i / rate}; whichever connection is free sends it, and its latency runs from when
 * it was due, not from when it was sent, so a stall counts against every request it holds up.
 */
final class OpenLoop {

    private OpenLoop() {
    }

    /** Latencies in ns, per request in schedule order; failures counted in {@code errors}, the first one printed. */
    static long[] run(URI base, String method, String path, List<String> headers, byte[] body, int rate, int seconds,
                      int connections, AtomicInteger errors) throws InterruptedException {
        return run(base, method, List.of(path), headers, body, rate, seconds, connections, errors);
    }

    /** As above, request {@code i} going to {@code paths[i mod n]}. */
    static long[] run(URI base, String method, List<String> paths, List<String> headers, byte[] body, int rate, int seconds,
                      int connections, AtomicInteger errors) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        byte[][] requests = paths.stream().map(path -> request(base, method, path, headers, body)).toArray(byte[][]::new);
        AtomicLong next = new AtomicLong();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 10_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                Socket socket = null;
                InputStream in = null;
                try {
                    for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long due = start + i * interval;
                        for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                            LockSupport.parkNanos(wait);
                        }
                        try {
                            if (socket == null) {
                                socket = new Socket(base.getHost(), base.getPort());
                                socket.setTcpNoDelay(true);
                                in = new BufferedInputStream(socket.getInputStream(), 16384);
                            }
                            socket.getOutputStream().write(requests[(int) (i % requests.length)]);
                            int status = readResponse(in);
                            if (status != 200 && errors.incrementAndGet() == 1) {
                                System.out.println("first error: HTTP " + status);
                            }
                        } catch (IOException e) {
                            if (errors.incrementAndGet() == 1) {
                                System.out.println("first error: " + e);
                            }
                            close(socket);
                            socket = null;
                        }
                        latencies[(int) i] = System.nanoTime() - due;
                    }
                } finally {
                    close(socket);
                }
            }, "open-loop-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return latencies;
    }

    private static byte[] request(URI base, String method, String path, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n");
        headers.forEach(h -> head.append(h).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes(body);
        return bytes.toByteArray();
    }

    /** Reads one response off a kept-alive connection (Content-Length or chunked body) and returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed");
        }
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(lower.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return Integer.parseInt(status.substring(9, 12));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static void skip(InputStream in, long bytes) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = bytes; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("connection closed mid-body");
            }
            left -= n;
        }
    }

    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection that failed: nothing more to learn from it
            }
        }
    }
}
