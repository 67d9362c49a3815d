package io.github.glidesocket.sample.process;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.github.glidesocket.sample.UnixSocketJedisFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A Jedis client that sends {@code INCR} on a key of its own, one command at a time, as an
 * application would. Since only this client touches its key, the n-th reply must be n: a lost,
 * repeated or garbled reply shows as a wrong number or as another exception than the connection
 * ending. It stops at the first {@link JedisConnectionException}, which is how Jedis reports the
 * server closing the connection; errors are collected, never thrown.
 */
final class JedisCountingClient implements Runnable {

	private final Path socket;

	private final String key;

	private final AtomicLong answered = new AtomicLong();

	private final List<String> errors = new CopyOnWriteArrayList<>();

	private volatile boolean endedByServer;

	JedisCountingClient(Path socket, String key) {
		this.socket = socket;
		this.key = key;
	}

	Thread start() {
		Thread thread = new Thread(this, "jedis-client-" + this.key);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	@Override
	public void run() {
		try (Jedis jedis = UnixSocketJedisFactory.connect(this.socket)) {
			while (true) {
				long reply;
				try {
					reply = jedis.incr(this.key);
				}
				catch (JedisConnectionException ex) {
					this.endedByServer = true;
					return;
				}
				long expected = this.answered.get() + 1;
				if (reply != expected) {
					this.errors.add(this.key + ": reply " + expected + " was " + reply);
					return;
				}
				this.answered.set(expected);
			}
		}
		catch (RuntimeException ex) {
			this.errors.add(this.key + ": " + ex);
		}
	}

	long answered() {
		return this.answered.get();
	}

	List<String> errors() {
		return this.errors;
	}

	boolean endedByServer() {
		return this.endedByServer;
	}

}
