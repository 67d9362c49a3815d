package io.github.glidesocket.benchmarks;

import io.github.glidesocket.benchmarks.baseline.OriginalDesignRegistry;

/**
 * {@link AcquireReleaseBenchmark} for the seed's original design.
 */
public class OriginalDesignAcquireReleaseBenchmark extends AcquireReleaseBenchmark<OriginalDesignRegistry.Handle> {

	@Override
	protected RegistryUnderTest<OriginalDesignRegistry.Handle> createRegistry() {
		return OriginalDesign.registryUnderTest();
	}

}
