package io.github.glidesocket.sample;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.glidesocket.core.SocketConnectionHandler;
import io.github.glidesocket.core.SocketEventHandler;
import io.github.glidesocket.core.SocketManager;
import io.github.glidesocket.core.SocketSnapshot;
import io.github.glidesocket.sample.resp.RespConnectionHandler;
import io.github.glidesocket.sample.resp.RespLimits;
import io.github.glidesocket.sample.resp.RespStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The key-value store and the handler that serves it on the managed socket, of the kind
 * {@code sample.resp.connection-mode} asks for.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SampleProperties.class)
class KeyValueConfiguration {

	@Bean
	RespStore respStore() {
		return new RespStore();
	}

	@Bean
	@Conditional(OnConnectionMode.ThreadPerConnection.class)
	SocketConnectionHandler respConnectionHandler(RespStore store, ObjectProvider<SocketManager> manager,
			SampleProperties properties) {
		return respHandler(store, manager, properties);
	}

	@Bean
	@Conditional(OnConnectionMode.EventLoop.class)
	SocketEventHandler respEventHandler(RespStore store, ObjectProvider<SocketManager> manager,
			SampleProperties properties) {
		return respHandler(store, manager, properties).eventHandler();
	}

	private static RespConnectionHandler respHandler(RespStore store, ObjectProvider<SocketManager> manager,
			SampleProperties properties) {
		Long maxBufferedRequestBytes = properties.getMaxBufferedRequestBytes();
		RespLimits limits = new RespLimits(properties.getMaxBulkLength(), properties.getMaxMultibulkLength(),
				RespLimits.defaults().maxInlineLength(), (maxBufferedRequestBytes != null) ? maxBufferedRequestBytes
						: RespLimits.defaultMaxBufferedRequestBytes());
		return new RespConnectionHandler(store, limits, () -> socketInfo(manager.getObject()));
	}

	/**
	 * The {@code # Glidesocket} section of {@code INFO}: the state of every managed socket.
	 */
	private static Map<String, String> socketInfo(SocketManager manager) {
		Map<String, String> info = new LinkedHashMap<>();
		info.put("sockets", String.valueOf(manager.activeSocketCount()));
		info.put("references", String.valueOf(manager.totalReferenceCount()));
		info.put("connections", String.valueOf(manager.activeConnectionCount()));
		info.put("leaks", String.valueOf(manager.leakCount()));
		int index = 0;
		for (SocketSnapshot snapshot : manager.snapshots()) {
			info.put("socket" + index++, "path=" + snapshot.path() + ",state=" + snapshot.state() + ",references="
					+ snapshot.references() + ",connections=" + snapshot.connections() + ",accepted="
					+ snapshot.acceptedConnections() + ",rejected=" + snapshot.rejectedConnections() + ",accept-failures="
					+ snapshot.acceptFailures());
		}
		return info;
	}

}
