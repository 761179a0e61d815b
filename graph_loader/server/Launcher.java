/*
 * ictgraph's local Neo4j launcher.
 *
 * Runs Neo4j Community through its own bootstrapper (what `neo4j console` runs), so the
 * server reads a real neo4j.conf and keeps its data directory across restarts, and beside
 * it a tiny static file server with CORS headers, from which the Neo4j Browser fetches the
 * project's GraSS style and guide (Neo4j itself cannot serve extra static files).
 *
 * Usage: java -cp CLASSES:LIB/* Launcher [--assets-dir=DIR --assets-port=N] [--watch-pid=PID]
 *        [--initial-password-file=FILE] --home-dir=HOME --config-dir=CONF [other Neo4j arguments]
 *
 * --initial-password-file sets the password of the user "neo4j" from the first line of FILE
 * before Neo4j starts, as `neo4j-admin dbms set-initial-password` does (the same command,
 * run in-process): the password never appears on a command line. Neo4j applies it while the
 * user still has the default password, so a server that had authentication off keeps its data.
 *
 * --watch-pid stops the server when that process exits, so a test run that dies does not
 * leave a server holding its ports. Exit codes: Neo4j's own on a failed start, 2 for bad
 * launcher arguments, 3 when the assets port cannot be bound, 4 when the initial password
 * cannot be set.
 */

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine;
import org.neo4j.cli.ExecutionContext;
import org.neo4j.commandline.admin.security.SetInitialPasswordCommand;
import org.neo4j.server.CommunityBootstrapper;
import org.neo4j.server.NeoBootstrapper;

public final class Launcher {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "grass", "text/plain; charset=utf-8",
            "html", "text/html; charset=utf-8",
            "adoc", "text/plain; charset=utf-8",
            "json", "application/json");

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path assetsDir = null;
        int assetsPort = 0;
        long watchPid = 0;
        Path passwordFile = null;
        Path homeDir = null;
        Path configDir = null;
        List<String> neo4jArgs = new ArrayList<>();
        try {
            for (String arg : args) {
                if (arg.startsWith("--assets-dir=")) {
                    assetsDir = Path.of(arg.substring("--assets-dir=".length()));
                } else if (arg.startsWith("--assets-port=")) {
                    assetsPort = Integer.parseInt(arg.substring("--assets-port=".length()));
                } else if (arg.startsWith("--watch-pid=")) {
                    watchPid = Long.parseLong(arg.substring("--watch-pid=".length()));
                } else if (arg.startsWith("--initial-password-file=")) {
                    passwordFile = Path.of(arg.substring("--initial-password-file=".length()));
                } else {
                    if (arg.startsWith("--home-dir=")) {
                        homeDir = Path.of(arg.substring("--home-dir=".length()));
                    } else if (arg.startsWith("--config-dir=")) {
                        configDir = Path.of(arg.substring("--config-dir=".length()));
                    }
                    neo4jArgs.add(arg);
                }
            }
        } catch (NumberFormatException e) {
            System.err.println("ictgraph launcher: bad number in arguments: " + e.getMessage());
            System.exit(2);
        }

        if (passwordFile != null) {
            if (homeDir == null || configDir == null) {
                System.err.println("ictgraph launcher: --initial-password-file needs --home-dir and --config-dir");
                System.exit(2);
            }
            setInitialPassword(homeDir, configDir, passwordFile);
        }

        HttpServer assets = null;
        if (assetsDir != null && assetsPort > 0) {
            try {
                assets = startAssetServer(assetsDir, assetsPort);
            } catch (IOException e) {
                System.err.println("ictgraph launcher: cannot serve browser assets on 127.0.0.1:"
                        + assetsPort + ": " + e);
                System.exit(3);
            }
        }

        int status = NeoBootstrapper.start(new CommunityBootstrapper(), neo4jArgs.toArray(new String[0]));
        if (status != 0) {
            stopQuietly(assets);
            System.exit(status);
        }
        if (watchPid > 0) {
            watchOwner(watchPid);
        }
        // Neo4j runs on its own threads from here. Its SIGTERM handler calls System.exit(0),
        // whose shutdown hook stops the server cleanly; the asset server dies with the JVM.
    }

    /**
     * Runs Neo4j's own set-initial-password command with the password read from {@code file}.
     * "--" ends the options, so no password can be read as one; errors name the file only.
     */
    private static void setInitialPassword(Path home, Path conf, Path file) {
        String password;
        try {
            password = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            System.err.println("ictgraph launcher: cannot read the password file " + file + ": " + e.getMessage());
            System.exit(4);
            return;
        }
        CommandLine command = new CommandLine(new SetInitialPasswordCommand(new ExecutionContext(home, conf)));
        command.setParameterExceptionHandler((ex, args) -> {
            System.err.println("ictgraph launcher: the password in " + file + " was not accepted");
            return 4;
        });
        int status = command.execute("--", password);
        if (status != 0) {
            System.err.println("ictgraph launcher: could not set the initial password from " + file);
            System.exit(4);
        }
    }

    /** Serves the files directly inside {@code dir} (no subdirectories) on loopback only. */
    private static HttpServer startAssetServer(Path dir, int port) throws IOException {
        HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            try {
                serveAsset(dir, exchange);
            } finally {
                exchange.close();
            }
        });
        server.start();
        System.out.println("ictgraph launcher: browser assets at http://127.0.0.1:" + port + "/");
        return server;
    }

    private static void serveAsset(Path dir, HttpExchange exchange) throws IOException {
        // The Browser fetches styles and guides from another origin: allow it (CORS).
        exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
        exchange.getResponseHeaders().add("Access-Control-Allow-Headers", "*");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS")) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        String name = exchange.getRequestURI().getPath().replaceFirst("^/", "");
        Path file = dir.resolve(name);
        boolean known = SAFE_NAME.matcher(name).matches() && Files.isRegularFile(file);
        if (!known || !(method.equals("GET") || method.equals("HEAD"))) {
            exchange.sendResponseHeaders(known ? 405 : 404, -1);
            return;
        }
        byte[] body = Files.readAllBytes(file);
        String extension = name.substring(name.lastIndexOf('.') + 1);
        exchange.getResponseHeaders().add("Content-Type",
                CONTENT_TYPES.getOrDefault(extension, "application/octet-stream"));
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void watchOwner(long pid) {
        Thread watcher = new Thread(() -> {
            ProcessHandle.of(pid).ifPresent(owner -> owner.onExit().join());
            System.out.println("ictgraph launcher: process " + pid + " has exited; stopping Neo4j");
            System.exit(0); // as on SIGTERM: Neo4j's shutdown hook stops it cleanly
        }, "ictgraph-owner-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void stopQuietly(HttpServer server) {
        if (server != null) {
            server.stop(0);
        }
    }
}
