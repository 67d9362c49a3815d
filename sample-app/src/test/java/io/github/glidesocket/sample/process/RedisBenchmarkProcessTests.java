package io.github.glidesocket.sample.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code redis-benchmark}, unchanged, against the packaged application in each connection mode:
 * every test it runs completes without an error reply, one request at a time and pipelined 16
 * deep. Only the tests of commands the application implements are run (its default set also
 * has lists, sets and sorted sets). No speed is asserted: the figures are printed.
 */
@Tag("process")
@Timeout(180)
class RedisBenchmarkProcessTests {

	private static final String TESTS = "ping,set,get,incr,mset";

	/** The names redis-benchmark gives the tests above in its report. */
	private static final List<String> REPORTED_TESTS = List.of("PING_INLINE", "PING_MBULK", "SET", "GET", "INCR",
			"MSET (10 keys)");

	private static final Pattern RESULT = Pattern.compile("^(.+): ([0-9.]+) requests per second");

	@TempDir
	Path directory;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "event-loop", "thread-per-connection" })
	void redisBenchmarkCompletesEveryRequestWithoutAnError(String connectionMode) throws Exception {
		assumeTrue(isInstalled(), "redis-benchmark not installed: apt-get install redis-tools");
		Path socket = this.directory.resolve("kv.sock");
		try (SampleProcess app = SampleProcess.serving(socket)
			.property("sample.resp.connection-mode", connectionMode)
			.startAndAwait()) {
			for (String pipeline : List.of("1", "16")) {
				String output = redisBenchmark("-s", socket.toString(), "-n", "10000", "-q", "-P", pipeline, "-t",
						TESTS);
				Map<String, Double> results = results(output);
				System.out.printf("[%s] redis-benchmark -P %s: %s%n", connectionMode, pipeline, results);
				assertThat(results.keySet()).as("tests reported by redis-benchmark -P %s:%n%s", pipeline, output)
					.containsExactlyElementsOf(REPORTED_TESTS);
				assertThat(results.values()).allMatch((requestsPerSecond) -> requestsPerSecond > 0);
				assertThat(output.toLowerCase()).as("redis-benchmark output").doesNotContain("err");
			}
			app.terminate();
			assertThat(app.awaitExit(Duration.ofSeconds(30))).isEqualTo(SampleProcess.EXIT_ON_SIGTERM);
			assertThat(app.output()).doesNotContain("Event handler failed").doesNotContain("Handler failed");
		}
	}

	/**
	 * Run redis-benchmark and return what it printed, its progress lines (ended by carriage
	 * returns) included.
	 */
	private static String redisBenchmark(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add("redis-benchmark");
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("redis-benchmark exited").isTrue();
		assertThat(process.exitValue()).as("redis-benchmark exit status, output:%n%s", output).isZero();
		return output;
	}

	/**
	 * The final line of each test: {@code NAME: 12345.67 requests per second, p50=...}.
	 */
	private static Map<String, Double> results(String output) {
		Map<String, Double> results = new LinkedHashMap<>();
		for (String line : output.split("[\r\n]")) {
			Matcher matcher = RESULT.matcher(line.strip());
			if (matcher.find()) {
				results.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
			}
		}
		return results;
	}

	private static boolean isInstalled() {
		try {
			Process process = new ProcessBuilder("redis-benchmark", "--version").redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
