package dev.hearth.kernel.metrics;

/**
 * One module as the {@code hearth_module_up} gauge shows it.
 *
 * @param id the module's (plugin's) id
 * @param kind {@code plugin} for a module jar, {@code user} for a hosted user module
 * @param up whether it is started
 */
public record ModuleState(String id, String kind, boolean up) {}
