/**
 * A small in-memory key-value service that speaks the Redis protocol, RESP2 and, after
 * {@code HELLO 3}, RESP3, so that {@code redis-cli}, {@code redis-benchmark} and Redis client
 * libraries can talk to a managed socket.
 */
@NullMarked
package io.github.glidesocket.sample.resp;

import org.jspecify.annotations.NullMarked;
