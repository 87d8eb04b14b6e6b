// Tests of report/fields.hpp: the one field list is complete and in enum
// order, every field's unit agrees with its name's suffix, the JSON object of
// an estimate parses back to the estimate's own numbers in estimate_columns()
// order, and the ordered (name, unit, value) list matches it.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "edgeperf/descriptions/device_catalog.hpp"
#include "edgeperf/descriptions/model_catalog.hpp"
#include "edgeperf/descriptions/quant_catalog.hpp"
#include "edgeperf/descriptions/runtime_catalog.hpp"
#include "edgeperf/phases/request.hpp"
#include "edgeperf/plan/cost.hpp"
#include "edgeperf/report/fields.hpp"

using namespace edgeperf;

namespace {

struct fixture {
  case_description c{};
  request_estimate<double> e{};
};

fixture make_case() {
  fixture f{};
  f.c.id = "row \"1\"";
  f.c.model = "dsr1-qwen-1.5b";
  f.c.quant = "w4a16";
  f.c.device = "orin-nx-16gb";
  f.c.runtime = "vllm";
  f.c.load.batch = 2;
  f.c.load.samples = 3;
  f.c.load.input_tokens = 300;
  f.c.load.output_tokens = 40;
  const device_spec& d = *find_device_or_null("orin-nx-16gb");
  f.c.mode = std::string(d.modes[0].name.view());
  f.e = estimate_request<double>(*find_model_or_null("dsr1-qwen-1.5b"), *find_quant_or_null("w4a16"), d, 0,
                                 *find_runtime_or_null("vllm"), f.c.load)
            .value();
  return f;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

TEST_CASE("the field list has every column once, with unique names") {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < all_fields.size(); ++i) {
    CHECK(static_cast<std::size_t>(all_fields[i].col) == i);
    CHECK(names.insert(all_fields[i].name).second);
    CHECK(std::string_view(column_name(all_fields[i].col)) == all_fields[i].name);
    CHECK(find_column(all_fields[i].name) == all_fields[i].col);
  }
  CHECK_FALSE(find_column("watts"));
}

TEST_CASE("units follow the names' SI suffixes") {
  for (const field_def& f : all_fields) {
    INFO(f.name);
    if (f.name == "j_per_token" || f.name == "module_j_per_token") {
      CHECK(f.unit == "J/token");
    } else if (f.name == "tokens_per_j") {
      CHECK(f.unit == "token/J");
    } else if (f.name == "output_tokens_per_s") {
      CHECK(f.unit == "token/s");
    } else if (ends_with(f.name, "_s")) {
      CHECK(f.unit == "s");
    } else if (ends_with(f.name, "_j")) {
      CHECK(f.unit == "J");
    } else if (ends_with(f.name, "_w")) {
      CHECK(f.unit == "W");
    } else if (ends_with(f.name, "_bytes")) {
      CHECK(f.unit == "B");
    } else if (ends_with(f.name, "_flops")) {
      CHECK(f.unit == "FLOP");
    } else if (ends_with(f.name, "_usd")) {
      CHECK(f.unit == "USD");
    } else if (ends_with(f.name, "_tokens")) {
      CHECK(f.unit == "token");
    } else {
      CHECK(f.unit.empty());
    }
  }
}

TEST_CASE("estimate_json is the estimate's numbers under the estimate column names") {
  const fixture f = make_case();
  cost_inputs in{};
  in.cloud_output_usd_per_1m = 0.5;
  const cost_breakdown cost = request_cost(f.e, f.c.load, in).value();
  const std::string text = estimate_json(f.c, f.e, &cost);
  CHECK(text == json_object(estimate_columns(), f.c, &f.e, {}, row_extras{&cost, {}, {}, {}}));
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  const std::vector<column> cols = estimate_columns();
  REQUIRE(j.size() == cols.size());
  std::size_t i = 0;
  for (auto it = j.begin(); it != j.end(); ++it, ++i) CHECK(it.key() == column_name(cols[i]));
  CHECK(j["id"] == f.c.id);
  CHECK(j["mode"] == f.c.mode);
  CHECK(j["ttft_s"].get<double>() == f.e.ttft_s);
  CHECK(j["decode_s"].get<double>() == f.e.decode_s);
  CHECK(j["energy_j"].get<double>() == f.e.energy_j);
  CHECK(j["module_energy_j"].get<double>() == f.e.module_energy_j);
  CHECK(j["peak_memory_bytes"].get<double>() == f.e.memory.total_bytes);
  CHECK(j["fits"].get<bool>() == f.e.memory.fits);
  CHECK(j["j_per_token"].get<double>() == f.e.j_per_token);
  CHECK(j["kv_dtype"] == std::string(to_string(f.e.kv)));
  CHECK(j["cost_per_1m_usd"].get<double>() == cost.total_per_1m_usd);
  CHECK(j["cloud_per_1m_usd"].get<double>() == cost.cloud_per_1m_usd);
  CHECK(j["error"] == "");

  // Without cost inputs the cost fields are null.
  const nlohmann::json bare = nlohmann::json::parse(estimate_json(f.c, f.e));
  CHECK(bare["cost_per_1m_usd"].is_null());
  CHECK(bare["cloud_per_1m_usd"].is_null());
}

TEST_CASE("the sigma fields carry the interval given, are null without one, and sweeps have none") {
  const fixture f = make_case();
  request_interval band{};
  band.ttft_sigma_s = 0.125;
  band.decode_sigma_s = 1.5;
  band.total_sigma_s = 1.625;
  band.energy_sigma_j = 7.25;
  const nlohmann::json j = nlohmann::json::parse(estimate_json(f.c, f.e, nullptr, nullptr, &band));
  CHECK(j["ttft_sigma_s"].get<double>() == 0.125);
  CHECK(j["decode_sigma_s"].get<double>() == 1.5);
  CHECK(j["total_sigma_s"].get<double>() == 1.625);
  CHECK(j["energy_sigma_j"].get<double>() == 7.25);
  CHECK(column_unit(column::energy_sigma_j) == "J");
  CHECK(column_unit(column::ttft_sigma_s) == "s");
  const nlohmann::json bare = nlohmann::json::parse(estimate_json(f.c, f.e));
  for (const char* k : {"ttft_sigma_s", "decode_sigma_s", "total_sigma_s", "energy_sigma_j"}) {
    CHECK(bare.contains(k));
    CHECK(bare[k].is_null());
  }
  for (column c : sweep_columns()) CHECK_FALSE(is_sigma_column(c));
  int in_estimate = 0;
  for (column c : estimate_columns()) in_estimate += is_sigma_column(c) ? 1 : 0;
  CHECK(in_estimate == 4);
}

TEST_CASE("estimate_fields lists the JSON fields in order with units") {
  const fixture f = make_case();
  const std::vector<named_cell> fields = estimate_fields(f.c, f.e);
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(estimate_json(f.c, f.e));
  REQUIRE(fields.size() == j.size());
  std::size_t i = 0;
  for (auto it = j.begin(); it != j.end(); ++it, ++i) {
    CHECK(fields[i].name == it.key());
    CHECK(fields[i].unit == column_unit(*find_column(fields[i].name)));
    CHECK(json_text(fields[i].value) == it.value().dump());
  }
  CHECK(std::get<double>(fields[1].value) == f.e.ttft_s);
}

TEST_CASE("a failed case has empty numbers and its error") {
  fixture f = make_case();
  const std::vector<column> cols = sweep_columns();
  const std::string row = csv_row(cols, f.c, nullptr, "unknown quant id 'x'");
  CHECK(row.find(",unknown quant id 'x',") != std::string::npos);
  CHECK(row.find("\"row \"\"1\"\"\"") == 0);  // the id quoted, quotes doubled
  const nlohmann::json j = nlohmann::json::parse(json_object(cols, f.c, nullptr, "bad"));
  CHECK(j["ttft_s"].is_null());
  CHECK(j["fits"].is_null());
  CHECK(j["error"] == "bad");
  CHECK(j["batch"] == 2);
  CHECK(j["input_tokens"] == 300);
}
