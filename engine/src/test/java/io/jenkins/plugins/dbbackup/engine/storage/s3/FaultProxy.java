package io.jenkins.plugins.dbbackup.engine.storage.s3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 forwarding proxy on loopback in front of an S3 server that records every request and injects faults
 * on the requests a rule picks: an S3 error response, a connection dropped in the middle of the request body, or a
 * connection dropped after the server processed the request but before the client saw the answer.
 */
public final class FaultProxy implements AutoCloseable {

    /** A request as the client sent it; header names in lower case. */
    record Request(String method, String target, Map<String, String> headers, long bodyLength) {
        boolean isUploadPart() {
            return method.equals("PUT") && target.contains("partNumber=");
        }

        int partNumber() {
            String q = target.substring(target.indexOf("partNumber=") + 11);
            int end = q.indexOf('&');
            return Integer.parseInt(end < 0 ? q : q.substring(0, end));
        }

        boolean isCreateUpload() {
            return method.equals("POST") && target.contains("uploads") && !target.contains("uploadId=");
        }

        boolean isCompleteUpload() {
            return method.equals("POST") && target.contains("uploadId=");
        }

        boolean isAbortUpload() {
            return method.equals("DELETE") && target.contains("uploadId=");
        }

        boolean isPutObject() {
            return method.equals("PUT") && !target.contains("uploadId=");
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What to do with a request. */
    sealed interface Action permits Forward, Fail, Respond, DropMidBody, DropAfterForward, DropMidResponse, CloseWithoutResponse {}

    /** Forwards, then sends the client only half of the response before cutting the connection. */
    record DropMidResponse() implements Action {}

    static final Action DROP_MID_RESPONSE = new DropMidResponse();

    /**
     * Reads the request, then closes the connection cleanly without a word: what a client sees when it reuses a
     * keep-alive connection that the server closed while it sat idle in the pool.
     */
    record CloseWithoutResponse() implements Action {}

    static final Action CLOSE_WITHOUT_RESPONSE = new CloseWithoutResponse();

    /** Answers in the server's place (for features s3proxy refuses, such as SSE-KMS). */
    record Respond(int status, Map<String, String> headers, String body) implements Action {}

    record Forward() implements Action {}

    record Fail(int status, String code, String message) implements Action {}

    record DropMidBody() implements Action {}

    record DropAfterForward() implements Action {}

    static final Action FORWARD = new Forward();
    static final Action DROP_MID_BODY = new DropMidBody();
    static final Action DROP_AFTER_FORWARD = new DropAfterForward();

    static Action fail(int status, String code, String message) {
        return new Fail(status, code, message);
    }

    /** Picks the action for a request; {@code attempt} counts requests with the same method and target, from 1. */
    @FunctionalInterface
    interface Rule {
        Action decide(Request request, int attempt);
    }

    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<Request, String> smallBodies = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger partsInProgress = new AtomicInteger();
    private final AtomicInteger peakPartsInProgress = new AtomicInteger();
    private volatile Rule rule = (r, n) -> FORWARD;
    private volatile long partDelayMillis;
    private volatile long requestDelayMillis;

    public FaultProxy(URI upstream) throws IOException {
        this.upstream = upstream;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    void rule(Rule value) {
        rule = value;
    }

    /** Holds each UploadPart this long before forwarding, so parts overlap. */
    void partDelayMillis(long value) {
        partDelayMillis = value;
    }

    /** Holds every request this long before forwarding it: a network round trip, as to a real S3 endpoint. */
    public void requestDelayMillis(long value) {
        requestDelayMillis = value;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The body of a request of at most 8 KiB (XML such as PutObjectRetention's), or null. */
    String body(Request request) {
        return smallBodies.get(request);
    }

    long count(Predicate<Request> which) {
        return requests.stream().filter(which).count();
    }

    int peakPartsInProgress() {
        return peakPartsInProgress.get();
    }

    /** Forgets what was recorded, after parts still held from an earlier test (an aborted upload) have ended. */
    void reset() {
        for (int i = 0; i < 250 && partsInProgress.get() > 0; i++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        requests.clear();
        smallBodies.clear();
        peakPartsInProgress.set(0);
        rule = (r, n) -> FORWARD;
        partDelayMillis = 0;
        requestDelayMillis = 0;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                threads.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        Socket up = null;
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            InputStream upIn = null;
            OutputStream upOut = null;
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                String text = new String(head, StandardCharsets.ISO_8859_1);
                String[] lines = text.split("\r\n");
                String[] requestLine = lines[0].split(" ");
                Map<String, String> headers = new TreeMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                                lines[i].substring(colon + 1).trim());
                    }
                }
                if (headers.containsKey("transfer-encoding")) {
                    throw new IOException("chunked request bodies are not supported by this test proxy");
                }
                long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
                Request request = new Request(requestLine[0], requestLine[1], headers, length);
                int attempt;
                synchronized (requests) {
                    attempt = 1 + (int) requests.stream().filter(r -> r.method().equals(request.method())
                            && r.target().equals(request.target())).count();
                    requests.add(request);
                }
                Action action = rule.decide(request, attempt);
                boolean expect = "100-continue".equalsIgnoreCase(headers.get("expect"));
                if (expect) {
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                if (action instanceof DropMidBody) {
                    in.readNBytes((int) (length / 2));
                    reset(client);
                    return;
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) {
                    return; // the client gave up mid-body (an aborted upload): nothing to forward
                }
                if (length > 0 && length <= 8192) {
                    smallBodies.put(request, new String(body, StandardCharsets.UTF_8));
                }
                if (action instanceof CloseWithoutResponse) {
                    client.shutdownOutput();
                    return;
                }
                if (action instanceof Respond answer) {
                    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                    StringBuilder response = new StringBuilder("HTTP/1.1 " + answer.status() + " Answer\r\n");
                    answer.headers().forEach((k, v) -> response.append(k).append(": ").append(v).append("\r\n"));
                    if (answer.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Length"))) {
                        response.append("Content-Length: ").append(bytes.length).append("\r\n");
                    }
                    response.append("\r\n");
                    out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes);
                    out.flush();
                    continue;
                }
                if (action instanceof Fail f) {
                    byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + f.code() + "</Code><Message>"
                            + f.message() + "</Message><RequestId>fault-proxy</RequestId></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    boolean noBody = request.method().equals("HEAD");
                    out.write(("HTTP/1.1 " + f.status() + " Fault\r\nContent-Type: application/xml\r\nContent-Length: "
                            + (noBody ? 0 : xml.length) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    if (!noBody) {
                        out.write(xml);
                    }
                    out.flush();
                    continue;
                }
                boolean part = request.isUploadPart();
                if (part) {
                    int now = partsInProgress.incrementAndGet();
                    peakPartsInProgress.accumulateAndGet(now, Math::max);
                }
                try {
                    if (part && partDelayMillis > 0) {
                        Thread.sleep(partDelayMillis);
                    }
                    if (requestDelayMillis > 0) {
                        Thread.sleep(requestDelayMillis);
                    }
                    if (up == null || up.isClosed()) {
                        up = new Socket(upstream.getHost(), upstream.getPort());
                        upIn = new BufferedInputStream(up.getInputStream());
                        upOut = up.getOutputStream();
                    }
                    upOut.write(head);
                    upOut.write(body);
                    upOut.flush();
                    ByteArrayOutputStream response = new ByteArrayOutputStream();
                    boolean upstreamCloses = relayResponse(upIn, response, request.method().equals("HEAD"));
                    if (upstreamCloses) {
                        up.close();
                    }
                    if (part) {
                        part = false;
                        partsInProgress.decrementAndGet(); // before the client can learn the part is done
                    }
                    if (action instanceof DropAfterForward) {
                        reset(client);
                        return;
                    }
                    if (action instanceof DropMidResponse) {
                        byte[] all = response.toByteArray();
                        out.write(all, 0, all.length / 2);
                        out.flush();
                        reset(client);
                        return;
                    }
                    response.writeTo(out);
                    out.flush();
                } finally {
                    if (part) {
                        partsInProgress.decrementAndGet();
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away, or the test is over
        } finally {
            if (up != null) {
                try {
                    up.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** Copies one response (skipping 1xx) into {@code out}; returns whether the server will close the connection. */
    private static boolean relayResponse(InputStream in, ByteArrayOutputStream out, boolean head) throws IOException {
        byte[] responseHead;
        String text;
        int status;
        do {
            responseHead = readHead(in);
            if (responseHead == null) {
                throw new IOException("upstream closed");
            }
            text = new String(responseHead, StandardCharsets.ISO_8859_1);
            status = Integer.parseInt(text.substring(9, 12));
        } while (status >= 100 && status < 200);
        out.write(responseHead);
        String lower = text.toLowerCase(Locale.ROOT);
        boolean closes = lower.contains("\r\nconnection: close");
        if (head || status == 204 || status == 304) {
            return closes;
        }
        if (lower.contains("\r\ntransfer-encoding: chunked")) {
            while (true) {
                String sizeLine = readLine(in);
                out.write((sizeLine + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                        out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    } while (!trailer.isEmpty());
                    return closes;
                }
                out.write(in.readNBytes(size + 2));
            }
        }
        int at = lower.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int end = lower.indexOf("\r\n", at + 2);
            long length = Long.parseLong(lower.substring(at + 17, end).trim());
            out.write(in.readNBytes((int) length));
            return closes;
        }
        out.write(in.readAllBytes());
        return true;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** The bytes up to and including the blank line, or null at end of stream. */
    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int c;
        while ((c = in.read()) >= 0) {
            head.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : (c == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toByteArray();
            }
        }
        return null;
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : new ArrayList<>(sockets)) {
            s.close();
        }
        threads.shutdownNow();
    }
}
