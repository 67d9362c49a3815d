package io.github.glidesocket.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketOptions;
import io.github.glidesocket.core.SocketReference;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The life of a real socket: {@code getOrCreate} on a free path (check the path, bind, set the
 * mode, publish with a hard link, start accepting) and the last {@code close()} (stop accepting,
 * remove the file if it is still its own). {@code bindAndClose} reports the pairs per second;
 * {@code cleanup} times the last {@code close()} alone, the time from the last release until the
 * file is gone, as percentiles.
 * <p>
 * Parameters: {@code accept} is the socket's connection mode ({@code loop}: an event handler;
 * {@code thread}: a connection handler; both accept on the manager's acceptor loop), and
 * {@code directory} the mode of the socket's directory ({@code rwx------}: only this user can
 * enter it, so the socket is bound beside its path; {@code rwxr-xr-x}: others may enter, so each
 * bind makes a private staging directory).
 */
@State(Scope.Thread)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class SocketLifecycleBenchmark {

	@Param({ "loop", "thread" })
	public String accept;

	@Param({ "rwx------", "rwxr-xr-x" })
	public String directoryMode;

	private Path directory;

	private String path;

	private SocketManager manager;

	@Setup
	public void createManager() throws IOException {
		this.directory = Files.createTempDirectory("glide-bench");
		Files.setPosixFilePermissions(this.directory, PosixFilePermissions.fromString(this.directoryMode));
		this.path = this.directory.resolve("life.sock").toString();
		SocketOptions options = this.accept.equals("loop")
				? SocketOptions.builder().eventHandler((connection) -> connection::write).build()
				: SocketOptions.builder().handler((connection) -> connection.inputStream().transferTo(OutputStream.nullOutputStream())).build();
		this.manager = SocketManager.builder().name("bench").shutdownHook(false).defaults(options).build();
	}

	@TearDown
	public void closeManager() throws IOException {
		this.manager.close();
		Files.deleteIfExists(this.directory);
	}

	@Benchmark
	@BenchmarkMode(Mode.Throughput)
	@OutputTimeUnit(TimeUnit.SECONDS)
	public void bindAndClose() {
		this.manager.getOrCreate(this.path).close();
	}

	/**
	 * Binds before each call, outside the measurement.
	 */
	@State(Scope.Thread)
	public static class Bound {

		SocketReference reference;

		@Setup(org.openjdk.jmh.annotations.Level.Invocation)
		public void bind(SocketLifecycleBenchmark benchmark) {
			this.reference = benchmark.manager.getOrCreate(benchmark.path);
		}

	}

	@Benchmark
	@BenchmarkMode(Mode.SampleTime)
	@OutputTimeUnit(TimeUnit.MICROSECONDS)
	public void cleanup(Bound bound) {
		// The last close() removes the file before it returns, so its duration is the latency.
		bound.reference.close();
	}

}
