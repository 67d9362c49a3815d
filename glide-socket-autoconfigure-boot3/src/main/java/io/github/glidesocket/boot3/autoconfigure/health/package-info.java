/**
 * Auto-configuration of the glide-socket health indicator on Spring Boot 3.5.
 */
@NullMarked
package io.github.glidesocket.boot3.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
