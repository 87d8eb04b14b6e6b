// The figures of docs/planning.md (and the README), generated from the
// library: each plot writes its data files and a gnuplot script into --out and
// runs gnuplot on it. gnuplot is optional: without it on PATH the program says
// so and exits 0. The data files and scripts go to a temporary folder that is
// removed afterwards, or with --keep-data next to the PNGs.
//
//   edgeperf_plots [--out DIR] [--keep-data] [--runs FILE.csv]   (default --out: .)
//   docs/figures/ is made with:  build/dev/examples/edgeperf_plots --out docs/figures
//
// Figures (all DSR1-Llama-8B BF16 on vLLM on a Jetson AGX Orin 64GB, MAXN,
// unless said otherwise):
//   prefill_staircase.png  TTFT vs prompt length I = 1…4096, step 1: the model's
//                          staircase from tile padding, with the EdgeReasoning
//                          ttft_s rows (data/edgereasoning-dsr1-llama-8b.csv);
//   decode_time.png        decode time vs output length, model lines per prompt
//                          length, with the measured decode_s rows;
//   roofline.png           every op of a prefill (I = 512) and a decode step
//                          (context 1024): arithmetic intensity vs achieved
//                          FLOP/s under the DRAM and BF16 tensor roofs of the mode;
//   pareto_robot.png       accuracy vs expected latency of the robot case's usable
//                          configurations (examples/robot_planner.cpp), the
//                          accuracy-latency frontier, the 5 s and 60 s budgets
//                          and the planner's choices.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "edgeperf/io/runs_csv.hpp"
#include "edgeperf/report/plan.hpp"
#include "plan_options.hpp"

using namespace edgeperf;
using namespace edgeperf::cli;
namespace fs = std::filesystem;

namespace {

struct case_specs {
  model_spec m;
  quant_spec q;
  device_spec d;
  runtime_spec r;
};

case_specs orin_llama8b() {
  return {find_model("dsr1-llama-8b").value(), find_quant("bf16").value(), find_device("agx-orin-64gb").value(),
          find_runtime("vllm").value()};
}

request_estimate<double> estimate(const case_specs& c, int input, int output, int samples = 1) {
  auto e = estimate_request<double>(c.m, c.q, c.d, 0, c.r, workload{1, samples, input, output, {}},
                                    request_options{.breakdown = true});  // the roofline plots read the ops
  if (!e) throw cli_error(e.error_value().message);
  return *e;
}

/// Opens `dir/name` for writing; throws with the path on failure.
std::ofstream open_out(const fs::path& dir, const std::string& name) {
  std::ofstream f(dir / name);
  if (!f) throw cli_error("cannot write " + (dir / name).string());
  return f;
}

/// The measured rows of one metric from the shared EdgeReasoning file.
std::vector<fit::run_measurement> measured(const std::vector<fit::run_measurement>& runs, const std::string& metric) {
  std::vector<fit::run_measurement> out;
  for (const auto& r : runs)
    if (r.metric == metric && r.batch == 1 && r.samples == 1) out.push_back(r);
  return out;
}

// ---- the figures: each writes NAME.dat files and NAME.gp, and returns the script name ----

std::string prefill_staircase(const fs::path& dir, const std::vector<fit::run_measurement>& runs) {
  const case_specs c = orin_llama8b();
  auto model = open_out(dir, "prefill_staircase_model.dat");
  model << "# I ttft_s (model: dsr1-llama-8b bf16, agx-orin-64gb MAXN, vllm)\n";
  for (int i = 1; i <= 4096; ++i) model << i << ' ' << estimate(c, i, 1).ttft_s << '\n';
  auto meas = open_out(dir, "prefill_staircase_measured.dat");
  meas << "# I ttft_s (EdgeReasoning, data/edgereasoning-dsr1-llama-8b.csv)\n";
  std::string left_out;
  for (const auto& r : measured(runs, "ttft_s")) {
    // A row far off the model and its neighbours (I = 2561: 22.5 s, excluded in
    // docs/validation.md as a measurement artefact) would flatten the plot.
    if (r.value > 3 * estimate(c, r.input_tokens, 1).ttft_s) {
      left_out += fmt::format("{}I = {} ({:.1f} s)", left_out.empty() ? "" : ", ", r.input_tokens, r.value);
      continue;
    }
    meas << r.input_tokens << ' ' << r.value << '\n';
  }
  auto gp = open_out(dir, "prefill_staircase.gp");
  gp << "set output 'prefill_staircase.png'\n"
        "set title 'Prefill latency (TTFT) vs prompt length: DSR1-Llama-8B BF16, vLLM, AGX Orin 64GB MAXN'\n"
        "set xlabel 'prompt tokens I'\nset ylabel 'TTFT (s)'\nset key top left\nset grid\n"
        "set xrange [0:4200]\nset yrange [0:*]\n"
     << (left_out.empty() ? "" : "set label 1 'not drawn (measurement artefact): " + left_out +
                                     "' at graph 0.98, graph 0.05 right font ',9'\n")
     << "set label 2 'steps: prompt padded to the GEMM tile rows' at graph 0.98, graph 0.12 right font ',9'\n"
        "plot 'prefill_staircase_model.dat' using 1:2 with lines lw 1.5 lc rgb '#1f77b4' title 'edgeperf model (I = 1...4096, step 1)', \\\n"
        "     'prefill_staircase_measured.dat' using 1:2 with points pt 7 ps 1.1 lc rgb '#d62728' title 'EdgeReasoning measured ttft_s'\n";
  return "prefill_staircase.gp";
}

std::string decode_time(const fs::path& dir, const std::vector<fit::run_measurement>& runs) {
  const case_specs c = orin_llama8b();
  std::map<int, std::vector<std::pair<int, double>>> by_input;  // I → (O, decode_s)
  int max_o = 2;
  for (const auto& r : measured(runs, "decode_s")) {
    by_input[r.input_tokens].push_back({r.output_tokens, r.value});
    max_o = std::max(max_o, r.output_tokens);
  }
  auto meas = open_out(dir, "decode_time_measured.dat");
  auto model = open_out(dir, "decode_time_model.dat");
  meas << "# blocks per prompt length I: O decode_s (EdgeReasoning)\n";
  model << "# blocks per prompt length I: O decode_s (model)\n";
  std::string plot = "plot ";
  int idx = 0;
  for (const auto& [input, rows] : by_input) {
    meas << "# I = " << input << '\n';
    for (const auto& [o, v] : rows) meas << o << ' ' << v << '\n';
    meas << "\n\n";
    model << "# I = " << input << '\n';
    for (int o = 2; o <= max_o; o += 8) model << o << ' ' << estimate(c, input, o).decode_s << '\n';
    model << "\n\n";
    const std::string color = fmt::format("palette frac {:.3f}", by_input.size() > 1 ? idx / double(by_input.size() - 1) : 0.0);
    plot += fmt::format("{}'decode_time_model.dat' index {} using 1:2 with lines lw 1.2 lc {} title 'model, I = {}', "
                        "'decode_time_measured.dat' index {} using 1:2 with points pt 7 ps 0.8 lc {} notitle",
                        idx ? ", \\\n     " : "", idx, color, input, idx, color);
    ++idx;
  }
  auto gp = open_out(dir, "decode_time.gp");
  gp << "set output 'decode_time.png'\n"
        "set title 'Decode time vs output length: DSR1-Llama-8B BF16, vLLM, AGX Orin 64GB MAXN'\n"
        "set xlabel 'output tokens O'\nset ylabel 'decode time, first to last token (s)'\n"
        "set key top left font ',9'\nset grid\nset palette defined (0 '#1f77b4', 0.5 '#2ca02c', 1 '#d62728')\n"
        "unset colorbox\nset label 1 'dots: EdgeReasoning measured decode_s' at graph 0.98, graph 0.05 right font ',9'\n"
     << plot << '\n';
  return "decode_time.gp";
}

std::string roofline(const fs::path& dir) {
  const case_specs c = orin_llama8b();
  const device_state<double> s = resolve<double>(c.d, 0);
  const double peak = s.tensor_bf16_sm * s.sms, bw = s.dram_bytes_per_s;
  auto dat = open_out(dir, "roofline.dat");
  dat << "# blocks: prefill (I = 512), decode (context 1024); AI_flop_per_byte achieved_flop_per_s op\n";
  const request_estimate<double> pre = estimate(c, 512, 1);
  const request_estimate<double> dec = estimate(c, 1023, 2);  // its first decode step sees context 1024
  std::string legend;  // "P1  q_proj, o_proj, …" per spot, drawn as a text block
  for (const step_result<double>* st : {&pre.prefill, &dec.first_decode}) {
    const char prefix = st == &pre.prefill ? 'P' : 'D';
    // Ops within 15 % of each other on both axes share one point and one label.
    struct spot {
      double ai, rate;
      std::string names;
    };
    std::vector<spot> spots;
    for (std::size_t i = 0; i < st->op_count; ++i) {
      const auto& op = st->ops[i];
      if (op.flops <= 0 || op.bytes <= 0 || !(op.time_s > 0)) continue;
      const double ai = op.flops / op.bytes, rate = op.flops / op.time_s;
      const auto near = [](double a, double b) { return std::abs(std::log(a / b)) < std::log(1.15); };
      auto it = std::find_if(spots.begin(), spots.end(),
                             [&](const spot& p) { return near(p.ai, ai) && near(p.rate, rate); });
      if (it == spots.end())
        spots.push_back({ai, rate, op.name});
      else
        it->names += std::string(", ") + op.name;
    }
    for (std::size_t k = 0; k < spots.size(); ++k) {
      const std::string tag = fmt::format("{}{}", prefix, k + 1);
      dat << spots[k].ai << ' ' << spots[k].rate << " \"" << tag << "\"\n";
      legend += fmt::format("{}{}  {}", legend.empty() ? "" : "\\n", tag, spots[k].names);
    }
    dat << "\n\n";
  }
  const double ridge = peak / bw;
  auto gp = open_out(dir, "roofline.gp");
  gp << "set output 'roofline.png'\n"
        "set title 'Roofline: DSR1-Llama-8B BF16 ops on AGX Orin 64GB (MAXN, vLLM)'\n"
        "set logscale xy\nset xlabel 'arithmetic intensity (FLOP/byte)'\nset ylabel 'achieved FLOP/s'\n"
        "set grid\nset key bottom right font ',9'\nset xrange [0.1:2000]\nset yrange [1e9:2e14]\n"
     << "set label 3 \"" << legend << "\" at graph 0.42, graph 0.42 left font ',9'\n"
     << fmt::format("peak = {}\nbw = {}\nroof(x) = x * bw < peak ? x * bw : peak\n", peak, bw)
     << fmt::format("set label 1 sprintf('DRAM %.0f GB/s', bw/1e9) at 0.15, {} rotate by 33 font ',9'\n", 0.15 * bw * 1.6)
     << fmt::format("set label 2 sprintf('BF16 tensor %.1f TFLOP/s', peak/1e12) at {}, {} right font ',9'\n", ridge * 0.9, peak * 1.4)
     << "set samples 400\n"
        "plot roof(x) with lines lw 2 lc rgb '#555555' title 'roofs (achievable, this mode)', \\\n"
        "     'roofline.dat' index 0 using 1:2 with points pt 7 ps 1.2 lc rgb '#1f77b4' title 'prefill ops, I = 512', \\\n"
        "     'roofline.dat' index 0 using 1:2:3 with labels offset 0,-1.1 center font ',9' notitle, \\\n"
        "     'roofline.dat' index 1 using 1:2 with points pt 5 ps 1.2 lc rgb '#d62728' title 'decode ops, context 1024', \\\n"
        "     'roofline.dat' index 1 using 1:2:3 with labels offset 0,1.1 center font ',9' notitle\n";
  return "roofline.gp";
}

std::string pareto_robot(const fs::path& dir) {
  plan_args a;  // the robot case of examples/robot_planner.cpp
  a.device = "agx-orin-64gb";
  a.budgets = "none,128,256,128nc,256nc";
  spec_cache cache;
  const plan_request req = make_plan_request(cache, a);
  const std::vector<plan_point> pts = enumerate_plans(req);
  // All usable points, and the accuracy-latency frontier (2 objectives) of them.
  std::vector<std::size_t> usable;
  std::vector<double> flat;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (!pts[i].usable) continue;
    usable.push_back(i);
    flat.insert(flat.end(), {pts[i].latency_s, *pts[i].accuracy});
  }
  const sense senses[] = {sense::minimize, sense::maximize};
  std::vector<std::size_t> front = pareto_front(std::span<const double>(flat), std::span<const sense>(senses));
  std::sort(front.begin(), front.end(), [&](std::size_t x, std::size_t y) { return flat[2 * x] < flat[2 * y]; });
  auto all = open_out(dir, "pareto_robot_points.dat");
  all << "# latency_s accuracy_percent (usable configurations of the robot case)\n";
  for (std::size_t j = 0; j < usable.size(); ++j) all << flat[2 * j] << ' ' << 100 * flat[2 * j + 1] << '\n';
  auto fr = open_out(dir, "pareto_robot_front.dat");
  fr << "# latency_s accuracy_percent configuration (accuracy-latency frontier)\n";
  for (std::size_t j : front)
    fr << flat[2 * j] << ' ' << 100 * flat[2 * j + 1] << " \"" << config_name(pts[usable[j]]) << "\"\n";
  auto ch = open_out(dir, "pareto_robot_choices.dat");
  ch << "# latency_s accuracy_percent label (the planner's choices)\n";
  for (double budget : {5.0, 60.0}) {
    const plan_choice c = plan(pts, plan_budget{budget}).value();
    if (c.best)
      ch << c.best->latency_s << ' ' << 100 * *c.best->accuracy << " \"" << fmt::format("{:g} s: ", budget)
         << config_name(*c.best) << "\"\n";
  }
  auto gp = open_out(dir, "pareto_robot.gp");
  gp << "set output 'pareto_robot.png'\n"
        "set title 'Robot case on AGX Orin 64GB: accuracy vs expected latency (MMLU-Redux, built-in accuracy table)'\n"
        "set logscale x\nset xlabel 'expected latency (s)'\nset ylabel 'accuracy (%)'\nset grid\n"
        "set key bottom right font ',9'\nset xrange [0.5:2000]\nset yrange [25:100]\n"
        "set style textbox opaque noborder\n"
        "set arrow 1 from 5, graph 0 to 5, graph 1 nohead dt 2 lc rgb '#2ca02c'\n"
        "set arrow 2 from 60, graph 0 to 60, graph 1 nohead dt 2 lc rgb '#ff7f0e'\n"
        "set label 3 '5 s budget' at 5.3, graph 0.96 font ',9' tc rgb '#2ca02c'\n"
        "set label 4 '60 s budget' at 63, graph 0.96 font ',9' tc rgb '#ff7f0e'\n"
        "plot 'pareto_robot_points.dat' using 1:2 with points pt 7 ps 0.5 lc rgb '#bbbbbb' title 'usable configurations', \\\n"
        "     'pareto_robot_front.dat' using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'accuracy-latency frontier', \\\n"
        "     'pareto_robot_front.dat' using 1:2 with points pt 7 ps 0.9 lc rgb '#1f77b4' notitle, \\\n"
        "     'pareto_robot_choices.dat' using 1:2 with points pt 6 ps 2.2 lw 2 lc rgb '#d62728' title 'planner choice', \\\n"
        "     'pareto_robot_choices.dat' using 1:2:3 with labels boxed offset 1.5,-1.4 left font ',9' notitle\n";
  return "pareto_robot.gp";
}

}  // namespace

int main(int argc, char** argv) {
  std::string out = ".";
  std::string runs_file = std::string(EDGEPERF_SOURCE_DIR) + "/data/edgereasoning-dsr1-llama-8b.csv";
  bool keep_data = false;
  CLI::App app{"Writes the figures of docs/planning.md (gnuplot, optional)"};
  app.add_option("--out", out, "output folder for the PNGs (created if missing)")->capture_default_str();
  app.add_option("--runs", runs_file, "EdgeReasoning runs CSV with ttft_s and decode_s rows")->capture_default_str();
  app.add_flag("--keep-data", keep_data,
               "also leave the data files (.dat) and gnuplot scripts (.gp) in --out (default: they are "
               "written to a temporary folder and removed)");
  CLI11_PARSE(app, argc, argv);
  const bool have_gnuplot = std::system("command -v gnuplot > /dev/null 2>&1") == 0;
  if (!have_gnuplot && !keep_data) {
    fmt::print("gnuplot is not on PATH: no figures written (Debian: apt-get install gnuplot-nox; "
               "--keep-data writes the data files and scripts anyway)\n");
    return exit_ok;
  }
  fs::path work;
  try {
    const fs::path dir(out);
    fs::create_directories(dir);
    work = keep_data ? dir
                     : fs::temp_directory_path() / fmt::format("edgeperf_plots_{}", static_cast<long long>(::getpid()));
    fs::create_directories(work);
    const auto runs = io::load_runs(runs_file);
    const std::vector<std::string> scripts{prefill_staircase(work, runs), decode_time(work, runs), roofline(work),
                                           pareto_robot(work)};
    if (!have_gnuplot) {
      fmt::print("gnuplot is not on PATH: wrote the data files and scripts to {} but no PNGs "
                 "(Debian: apt-get install gnuplot-nox)\n", dir.string());
      return exit_ok;
    }
    const char* terminal = std::system("gnuplot -e 'set terminal pngcairo' > /dev/null 2>&1") == 0
                               ? "set terminal pngcairo size 1100,700 noenhanced font 'sans,11'"
                               : "set terminal png size 1100,700";
    for (const std::string& s : scripts) {
      const std::string cmd = fmt::format("cd '{}' && gnuplot -e \"{}\" '{}'", work.string(), terminal, s);
      if (std::system(cmd.c_str()) != 0) throw cli_error("gnuplot failed on " + (work / s).string());
      const std::string png = s.substr(0, s.size() - 3) + ".png";
      if (!keep_data) fs::copy_file(work / png, dir / png, fs::copy_options::overwrite_existing);
      fmt::print("wrote {}\n", (dir / png).string());
    }
    if (!keep_data) fs::remove_all(work);
  } catch (const std::exception& e) {
    fmt::print(stderr, "edgeperf_plots: {}\n", e.what());
    if (!keep_data && !work.empty()) {
      std::error_code ec;
      fs::remove_all(work, ec);
    }
    return exit_failed;
  }
  return exit_ok;
}
