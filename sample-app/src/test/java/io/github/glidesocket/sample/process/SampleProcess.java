package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.glidesocket.sample.SampleHttpClient;

import static org.awaitility.Awaitility.await;

/**
 * The packaged sample application running as a separate process, as a user would start it:
 * {@code java -jar sample-app.jar --glide.socket.path=...}. Its standard output and error go to
 * a log file next to the socket so that a test can wait for, and assert on, what it logged.
 * <p>
 * The jar is the one {@code mvn package} built; its location comes from the {@code sample.jar}
 * system property, which the build sets.
 */
public final class SampleProcess implements AutoCloseable {

	/**
	 * The exit code of a JVM that stopped on SIGTERM after running its shutdown hooks (128 + 15).
	 */
	public static final int EXIT_ON_SIGTERM = 143;

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final String READINESS = "/actuator/health/readiness";

	private final Process process;

	private final Path log;

	private final Path socketPath;

	private int httpPort = -1;

	private SampleProcess(Process process, Path log, Path socketPath) {
		this.process = process;
		this.log = log;
		this.socketPath = socketPath;
	}

	/**
	 * Start building a process serving the given socket path.
	 * @param socketPath the value of {@code glide.socket.path}
	 * @return a builder
	 */
	public static Builder serving(Path socketPath) {
		return new Builder(socketPath);
	}

	/**
	 * The packaged application jar.
	 * @return the jar
	 */
	public static Path jar() {
		String jar = System.getProperty("sample.jar");
		if (jar == null || !Files.isRegularFile(Path.of(jar))) {
			throw new IllegalStateException("System property 'sample.jar' must name the packaged sample application ("
					+ jar + "); run these tests with 'mvn verify'");
		}
		return Path.of(jar);
	}

	/**
	 * Wait until the application is ready: its readiness group ({@code /actuator/health/readiness})
	 * answers {@code UP}. Spring Boot logs that it started, and its web server answers, before the
	 * application is ready (before the runners, and before glide-socket takes a socket over).
	 * @param timeout how long to wait
	 * @return this process
	 */
	public SampleProcess awaitStarted(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.alias("HTTP port logged")
			.until(() -> {
				assertAlive();
				return PORT.matcher(output()).find();
			});
		Matcher matcher = PORT.matcher(output());
		if (!matcher.find()) {
			throw new IllegalStateException("The application did not log its HTTP port:\n" + output());
		}
		this.httpPort = Integer.parseInt(matcher.group(1));
		SampleHttpClient http = new SampleHttpClient(this.httpPort);
		await().atMost(Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0)))
			.pollInterval(Duration.ofMillis(50))
			.alias("readiness UP")
			.ignoreExceptionsInstanceOf(IOException.class)
			.until(() -> {
				assertAlive();
				SampleHttpClient.Reply readiness = http.get(READINESS);
				return readiness.status() == 200 && "UP".equals(readiness.json().path("status").asString());
			});
		return this;
	}

	private void assertAlive() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException(
					"The application exited with " + this.process.exitValue() + " before it was ready:\n" + output());
		}
	}

	/**
	 * Wait until the process has exited.
	 * @param timeout how long to wait
	 * @return the exit code
	 * @throws IllegalStateException if the process is still running after the timeout
	 */
	public int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException("The application did not exit within " + timeout + ":\n" + output());
		}
		return this.process.exitValue();
	}

	/**
	 * Wait until the output contains the text.
	 * @param text the text
	 * @param timeout how long to wait
	 */
	public void awaitOutput(String text, Duration timeout) {
		await().atMost(timeout)
			.pollInterval(Duration.ofMillis(50))
			.alias("output containing '" + text + "'")
			.until(() -> output().contains(text));
	}

	/**
	 * Ask the application to stop, as {@code kill} (SIGTERM) does.
	 */
	public void terminate() {
		this.process.destroy();
	}

	/**
	 * Kill the application at once, as {@code kill -9} (SIGKILL) does: no shutdown hook runs.
	 */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	public long pid() {
		return this.process.pid();
	}

	/**
	 * The HTTP port, known once {@link #awaitStarted started}.
	 * @return the port
	 */
	public int httpPort() {
		if (this.httpPort < 0) {
			throw new IllegalStateException("The application has not started yet");
		}
		return this.httpPort;
	}

	public Path socketPath() {
		return this.socketPath;
	}

	/**
	 * Everything the application has written to its standard output and error so far.
	 * @return the output
	 */
	public String output() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * How many file descriptors the process has open, from {@code /proc}.
	 * @return the count
	 */
	public long openFileDescriptors() throws IOException {
		try (var entries = Files.list(Path.of("/proc", Long.toString(pid()), "fd"))) {
			return entries.count();
		}
	}

	/**
	 * How many threads the process runs, from {@code /proc}.
	 * @return the count
	 */
	public long threads() throws IOException {
		try (var entries = Files.list(Path.of("/proc", Long.toString(pid()), "task"))) {
			return entries.count();
		}
	}

	/**
	 * The status of the {@code glideSocket} health component, from {@code /actuator/health}.
	 * @return {@code UP} or {@code DOWN}
	 */
	public String glideSocketHealth() throws IOException, InterruptedException {
		SampleHttpClient.Reply reply = new SampleHttpClient(httpPort()).get("/actuator/health");
		return reply.json().path("components").path("glideSocket").path("status").asText();
	}

	/**
	 * Everything in a directory but the applications' log files: what a test expects to be
	 * gone once the sockets are.
	 * @param directory the directory
	 * @return the other entries, hidden ones (such as staging directories) included
	 */
	public static List<Path> entriesOtherThanLogs(Path directory) throws IOException {
		try (var entries = Files.list(directory)) {
			return entries.filter((entry) -> !entry.getFileName().toString().endsWith(".log")).toList();
		}
	}

	/**
	 * The key (device and inode) of the file at a path, not following links: it tells whether
	 * the file there is still the same one.
	 * @param path the path
	 * @return the key
	 */
	public static Object fileKey(Path path) throws IOException {
		return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
	}

	/**
	 * The CPU time the process has used so far (user and system), from {@code /proc}.
	 * @return the CPU time
	 */
	public Duration cpuTime() throws IOException {
		String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"), StandardCharsets.US_ASCII);
		// Fields after the command name, which is in parentheses and may contain spaces;
		// utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return Duration.ofMillis(ticks * 10);
	}

	/**
	 * Run a diagnostic command in the process with the JDK's {@code jcmd}, such as
	 * {@code GC.run}.
	 * @param arguments the command and its arguments
	 * @return what {@code jcmd} printed
	 */
	public String jcmd(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
		command.add(Long.toString(pid()));
		command.addAll(List.of(arguments));
		Process jcmd = new ProcessBuilder(command).redirectErrorStream(true).start();
		String printed = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
			throw new IllegalStateException("jcmd " + String.join(" ", arguments) + " failed:\n" + printed);
		}
		return printed;
	}

	/**
	 * Kill the process if it still runs.
	 */
	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	/**
	 * Options of a process to start.
	 */
	public static final class Builder {

		private final Path socketPath;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private final List<String> jvmArguments = new ArrayList<>();

		private int fileDescriptorLimit = -1;

		private final List<String> launcher = new ArrayList<>();

		private Path logDirectory;

		private Builder(Path socketPath) {
			this.socketPath = socketPath;
			this.logDirectory = socketPath.getParent();
			// Each process gets its own port, and every test a short drain so that it ends quickly.
			property("server.port", "0");
			property("spring.lifecycle.timeout-per-shutdown-phase", "10s");
		}

		/**
		 * Set an application property, passed as a {@code --name=value} argument.
		 * @param name the property name
		 * @param value the value
		 * @return this builder
		 */
		public Builder property(String name, String value) {
			this.properties.put(name, value);
			return this;
		}

		/**
		 * Add a JVM argument, such as {@code -Xmx128m}.
		 * @param argument the argument
		 * @return this builder
		 */
		public Builder jvmArgument(String argument) {
			this.jvmArguments.add(argument);
			return this;
		}

		/**
		 * Start the process with {@code ulimit -n} set to the limit.
		 * @param limit the most open file descriptors the process may have
		 * @return this builder
		 */
		public Builder fileDescriptorLimit(int limit) {
			this.fileDescriptorLimit = limit;
			return this;
		}

		/**
		 * Start the JVM through a command that changes its credentials, such as
		 * {@code setpriv --reuid=daemon --regid=daemon --clear-groups}.
		 * @param command the command and its arguments, before {@code java}
		 * @return this builder
		 */
		public Builder launchedWith(String... command) {
			this.launcher.addAll(List.of(command));
			return this;
		}

		/**
		 * Write the log file to another directory than the socket's.
		 * @param directory the directory
		 * @return this builder
		 */
		public Builder logDirectory(Path directory) {
			this.logDirectory = directory;
			return this;
		}

		/**
		 * Start the process; it may still be starting when this returns.
		 * @return the process
		 */
		public SampleProcess start() throws IOException {
			List<String> command = new ArrayList<>();
			if (this.fileDescriptorLimit > 0) {
				command.addAll(List.of("/bin/sh", "-c", "ulimit -n " + this.fileDescriptorLimit + " && exec \"$@\"", "sh"));
			}
			command.addAll(this.launcher);
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			if (Runtime.version().feature() >= 24) {
				command.add("--enable-native-access=ALL-UNNAMED");
			}
			command.addAll(this.jvmArguments);
			command.add("-jar");
			command.add(jar().toString());
			command.add("--glide.socket.path=" + this.socketPath);
			this.properties.forEach((name, value) -> command.add("--" + name + "=" + value));
			Path log = Files.createTempFile(this.logDirectory, "sample-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new SampleProcess(process, log, this.socketPath);
		}

		/**
		 * Start the process and wait until it serves.
		 * @return the started process
		 */
		public SampleProcess startAndAwait() throws IOException {
			return start().awaitStarted(Duration.ofSeconds(60));
		}

	}

}
