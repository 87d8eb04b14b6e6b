// Placeholder for the main what-if example (README's first command). It will be
// replaced by the real example once the catalogs and the cost model exist.
#include <cstdio>

int main() {
  std::printf("edgeperf what-if: model dsr1-qwen-1.5b on device agx-orin-64gb\n");
  std::printf("(placeholder: the cost model is being built)\n");
  return 0;
}
