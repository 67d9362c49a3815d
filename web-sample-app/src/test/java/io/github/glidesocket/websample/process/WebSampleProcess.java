package io.github.glidesocket.websample.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The web sample application on one web server, running as a separate JVM with its web
 * socket at a path. Its standard output and error go to a log file beside the socket, so that
 * a test can wait for what it logged.
 */
final class WebSampleProcess implements AutoCloseable {

	/**
	 * The exit code of a JVM that stopped on SIGTERM after running its shutdown hooks (128 + 15).
	 */
	static final int EXIT_ON_SIGTERM = 143;

	private final Process process;

	private final Path log;

	private WebSampleProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Start the application on a server, serving HTTP on the socket only.
	 * @param server the web server
	 * @param socketPath the value of {@code glide.socket.web.path}
	 * @param properties more application properties
	 * @return the process, which may still be starting
	 */
	static WebSampleProcess start(WebServer server, Path socketPath, Map<String, String> properties)
			throws IOException {
		return start(server, socketPath, properties, List.of());
	}

	/**
	 * Start the application on a server, serving HTTP on the socket only, through a command
	 * that changes its credentials.
	 * @param server the web server
	 * @param socketPath the value of {@code glide.socket.web.path}
	 * @param properties more application properties
	 * @param launcher the command and its arguments before {@code java}, such as
	 * {@code setpriv --groups=0,65534}
	 * @return the process, which may still be starting
	 */
	static WebSampleProcess start(WebServer server, Path socketPath, Map<String, String> properties,
			List<String> launcher) throws IOException {
		Map<String, String> all = new LinkedHashMap<>();
		all.put("glide.socket.web.path", socketPath.toString());
		all.put("glide.socket.web.tcp", "false");
		all.put("spring.lifecycle.timeout-per-shutdown-phase", "30s");
		all.putAll(properties);
		List<String> command = new ArrayList<>(launcher);
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		if (Runtime.version().feature() >= 24) {
			command.add("--enable-native-access=ALL-UNNAMED");
		}
		// Starts sooner on a busy machine; what is tested does not depend on the compiler or collector.
		command.add("-XX:TieredStopAtLevel=1");
		command.add("-XX:+UseSerialGC");
		command.add("-cp");
		command.add(server.classPath());
		command.add("io.github.glidesocket.websample.WebSampleApplication");
		all.forEach((name, value) -> command.add("--" + name + "=" + value));
		Path log = Files.createTempFile(socketPath.getParent(), server.name().toLowerCase() + "-", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		return new WebSampleProcess(process, log);
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	long pid() {
		return this.process.pid();
	}

	/**
	 * Wait until the output contains the text.
	 * @param text the text
	 */
	void awaitOutput(String text) {
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> {
			if (!this.process.isAlive() && !output().contains(text)) {
				throw new IllegalStateException("The application exited with " + this.process.exitValue()
						+ " without logging '" + text + "':\n" + output());
			}
			return output().contains(text);
		});
	}

	/**
	 * Wait until the process has exited.
	 * @return the exit code
	 */
	int awaitExit() throws InterruptedException {
		if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("The application did not exit:\n" + output());
		}
		return this.process.exitValue();
	}

	/**
	 * Ask the application to stop, as {@code kill} (SIGTERM) does.
	 */
	void terminate() {
		this.process.destroy();
	}

	/**
	 * Kill the application at once, as {@code kill -9} (SIGKILL) does: nothing of it runs.
	 */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	/**
	 * Everything the application has written so far.
	 * @return the output
	 */
	String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
