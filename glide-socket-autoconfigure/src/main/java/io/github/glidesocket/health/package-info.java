/**
 * Health of glide-socket sockets, and its Spring Boot 4 health indicator. Configures nothing
 * by itself.
 */
@NullMarked
package io.github.glidesocket.health;

import org.jspecify.annotations.NullMarked;
