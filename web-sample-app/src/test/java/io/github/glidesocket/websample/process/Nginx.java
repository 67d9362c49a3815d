package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A real nginx in the foreground, with its own prefix and configuration in a directory, that
 * proxies a loopback TCP port to a Unix socket as {@code proxy_pass http://unix:PATH} does for
 * users.
 */
final class Nginx implements AutoCloseable {

	private static final String SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

	private final Process process;

	private final int port;

	private final Path directory;

	private Nginx(Process process, int port, Path directory) {
		this.process = process;
		this.port = port;
		this.directory = directory;
	}

	/**
	 * Start nginx in front of a socket, installing it with {@code apt-get} if it is missing;
	 * the test is skipped when it cannot be.
	 * @param directory where nginx keeps its configuration, logs and temporary files
	 * @param socket the socket to proxy to
	 * @return nginx, accepting on its port
	 */
	static Nginx proxyingTo(Path directory, Path socket) throws Exception {
		Path nginx = installed();
		int port = freePort();
		Path configuration = directory.resolve("nginx.conf");
		Files.writeString(configuration, configuration(directory, port, socket), StandardCharsets.UTF_8);
		Process process = new ProcessBuilder(nginx.toString(), "-p", directory.toString(), "-c",
				configuration.toString(), "-e", directory.resolve("error.log").toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("nginx.out").toFile())
			.start();
		Nginx started = new Nginx(process, port, directory);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
			if (!process.isAlive()) {
				throw new IllegalStateException("nginx exited with " + process.exitValue() + ":\n" + started.errors());
			}
			return accepts(port);
		});
		return started;
	}

	private static String configuration(Path directory, int port, Path socket) {
		return """
				daemon off;
				worker_processes 1;
				# Its workers connect as this user (root when the tests run as root), whom the
				# socket's default peer policy allows.
				user %1$s;
				pid %2$s/nginx.pid;
				events {
					worker_connections 1024;
				}
				http {
					access_log off;
					client_body_temp_path %2$s/client-body;
					proxy_temp_path %2$s/proxy;
					fastcgi_temp_path %2$s/fastcgi;
					uwsgi_temp_path %2$s/uwsgi;
					scgi_temp_path %2$s/scgi;
					server {
						listen 127.0.0.1:%3$d;
						location / {
							proxy_pass http://unix:%4$s;
							proxy_read_timeout 120s;
						}
					}
				}
				""".formatted(System.getProperty("user.name"), directory, port, socket);
	}

	private static Path installed() throws Exception {
		Path nginx = Path.of("/usr/sbin/nginx");
		if (!Files.isExecutable(nginx) && isRoot()) {
			run(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"));
		}
		assumeThat(Files.isExecutable(nginx))
			.as("nginx is not installed and could not be ('apt-get install nginx' as root); these tests need it")
			.isTrue();
		return nginx;
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	private static void run(List<String> command) throws Exception {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		builder.environment().put("PATH", SYSTEM_PATH);
		builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
		Process process = builder.start();
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	int port() {
		return this.port;
	}

	/**
	 * What nginx logged as errors so far, such as why it answered 502.
	 * @return the error log
	 */
	String errors() throws IOException {
		Path log = this.directory.resolve("error.log");
		return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
	}

	@Override
	public void close() throws InterruptedException {
		// SIGTERM: a fast shutdown of the master and its workers.
		this.process.destroy();
		if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
		}
	}

}
