package io.github.glidesocket.sample;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSocketFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Connects Jedis to a Unix-domain socket through junixsocket. Jedis reads its read timeout
 * from the socket this factory returns.
 */
public final class UnixSocketJedisFactory implements JedisSocketFactory {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	private final Path path;

	UnixSocketJedisFactory(Path path) {
		this.path = path;
	}

	/**
	 * Open a Jedis client on a socket.
	 * @param path the socket file
	 * @return a connected client
	 */
	public static Jedis connect(Path path) {
		Jedis jedis = new Jedis(new UnixSocketJedisFactory(path));
		jedis.connect();
		return jedis;
	}

	@Override
	public Socket createSocket() throws JedisConnectionException {
		try {
			AFUNIXSocket socket = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(this.path));
			socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
			return socket;
		}
		catch (IOException ex) {
			throw new JedisConnectionException("Cannot connect to " + this.path, ex);
		}
	}

}
