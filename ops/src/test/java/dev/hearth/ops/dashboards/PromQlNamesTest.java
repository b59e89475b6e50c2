package dev.hearth.ops.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlNamesTest {

  @Test
  void histogramQuantile_yieldsTheBucketSeries_notFunctionsLabelsOrVariables() {
    assertThat(PromQlNames.of("histogram_quantile(0.99, sum by (le, method) (rate(hearth_rpc_request_duration_seconds_bucket"
        + "{instance=~\"$instance\",method!~\"hearth\\\\.(auth|ui)\\\\..*\"}[$__rate_interval])))"))
        .containsExactly("hearth_rpc_request_duration_seconds_bucket");
  }

  @Test
  void binaryExpressions_yieldEveryOperand() {
    assertThat(PromQlNames.of("sum(rate(a_total{code!=\"OK\"}[5m])) / on(instance) group_left(x) sum(rate(b_total[1h30m])) > 0.5"
        + " and c_seconds offset 5m unless d"))
        .containsExactly("a_total", "b_total", "c_seconds", "d");
  }

  @Test
  void aggregationWithTrailingBy_andNumbers_andBool_areSkipped() {
    assertThat(PromQlNames.of("sum(x_bytes) by (store) > bool 1e3 or vector(0) + Inf")).containsExactly("x_bytes");
  }

  @Test
  void labelValues_yieldsItsMetric_orNothing() {
    assertThat(PromQlNames.of("label_values(process_uptime_seconds, instance)")).containsExactly("process_uptime_seconds");
    assertThat(PromQlNames.of("label_values(instance)")).isEmpty();
  }

  @Test
  void stringsAndBracesWithMetricLikeWords_areNotNames() {
    assertThat(PromQlNames.of("count(m{job=\"not_a_metric\", x='{y}'} == 0)")).containsExactly("m");
  }
}
