#pragma once
/// @file
/// Levenberg–Marquardt nonlinear least squares with Eigen, for fitting device
/// and runtime profiles. Parameters are optimised in log space, which keeps
/// physical quantities (bandwidths, rates, host seconds) positive — the
/// "non-negative where physics demands" of DESIGN.md §8 — and makes a
/// Gaussian prior on log θ a relative prior ("within ±σ·100 % of the data
/// sheet"). The Jacobian is taken by central differences.

#include <cmath>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace edgeperf::fit {

/// One parameter to fit.
struct parameter {
  std::string name;
  double initial{1.0};       ///< starting value (> 0)
  double prior_mean{1.0};    ///< centre of the log-normal prior (> 0)
  double prior_sigma{0.0};   ///< σ of log θ; 0 = no prior (free)
};

/// Result of a fit.
struct lm_result {
  std::vector<double> values;       ///< fitted θ
  std::vector<double> rel_sigma;    ///< 1-σ relative uncertainty of θ (from JᵀJ)
  Eigen::MatrixXd covariance;       ///< of log θ (Gauss–Newton, scaled by the residual variance)
  Eigen::MatrixXd correlation;      ///< covariance normalised to unit diagonal
  double cost{0};                   ///< final ½‖r‖² (data + prior)
  int iterations{0};
  bool converged{false};
};

/// Residuals r(θ) of the data, in any units the caller chooses (we use
/// weighted log ratios). The prior terms are appended by the solver.
using residual_fn = std::function<Eigen::VectorXd(const std::vector<double>& theta)>;

/// Minimises ½‖r(θ)‖² + ½ Σ_i ((log θ_i − log μ_i)/σ_i)² over θ > 0.
[[nodiscard]] inline lm_result levenberg_marquardt(const std::vector<parameter>& params,
                                                   const residual_fn& residuals,
                                                   int max_iterations = 200,
                                                   double tolerance = 1e-12) {
  const auto n = static_cast<Eigen::Index>(params.size());
  for (const auto& p : params)
    if (!(p.initial > 0) || !(p.prior_mean > 0))
      throw std::invalid_argument("fit parameter '" + p.name + "': initial value and prior mean must be > 0");
  Eigen::VectorXd x(n);  // log θ
  for (Eigen::Index i = 0; i < n; ++i) x(i) = std::log(params[static_cast<std::size_t>(i)].initial);
  const auto theta = [&](const Eigen::VectorXd& lx) {
    std::vector<double> t(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) t[static_cast<std::size_t>(i)] = std::exp(lx(i));
    return t;
  };
  const auto full_residuals = [&](const Eigen::VectorXd& lx) {
    const Eigen::VectorXd r = residuals(theta(lx));
    Eigen::Index np = 0;
    for (const auto& p : params) np += p.prior_sigma > 0 ? 1 : 0;
    Eigen::VectorXd all(r.size() + np);
    all.head(r.size()) = r;
    Eigen::Index k = r.size();
    for (Eigen::Index i = 0; i < n; ++i) {
      const auto& p = params[static_cast<std::size_t>(i)];
      if (p.prior_sigma > 0) all(k++) = (lx(i) - std::log(p.prior_mean)) / p.prior_sigma;
    }
    return all;
  };
  const auto jacobian = [&](const Eigen::VectorXd& lx, const Eigen::VectorXd& r0) {
    Eigen::MatrixXd J(r0.size(), n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double h = 1e-6;
      Eigen::VectorXd xp = lx, xm = lx;
      xp(i) += h;
      xm(i) -= h;
      J.col(i) = (full_residuals(xp) - full_residuals(xm)) / (2 * h);
    }
    return J;
  };
  lm_result out{};
  Eigen::VectorXd r = full_residuals(x);
  double cost = 0.5 * r.squaredNorm();
  double lambda = 1e-3;
  Eigen::MatrixXd J = jacobian(x, r);
  for (out.iterations = 0; out.iterations < max_iterations; ++out.iterations) {
    const Eigen::MatrixXd A = J.transpose() * J;
    const Eigen::VectorXd g = J.transpose() * r;
    Eigen::MatrixXd Ad = A;
    for (Eigen::Index i = 0; i < n; ++i) Ad(i, i) += lambda * (A(i, i) > 0 ? A(i, i) : 1.0);
    const Eigen::VectorXd step = Ad.ldlt().solve(-g);
    const Eigen::VectorXd xn = x + step;
    const Eigen::VectorXd rn = full_residuals(xn);
    const double cn = 0.5 * rn.squaredNorm();
    if (std::isfinite(cn) && cn < cost) {
      const double gain = cost - cn;
      x = xn;
      r = rn;
      cost = cn;
      lambda = std::max(lambda / 3, 1e-12);
      J = jacobian(x, r);
      if (gain < tolerance * (1 + cost) || step.norm() < 1e-10) {
        out.converged = true;
        break;
      }
    } else {
      lambda *= 4;
      if (lambda > 1e12) {
        out.converged = true;  // no descent direction left: at a minimum
        break;
      }
    }
  }
  out.values = theta(x);
  out.cost = cost;
  // Relative σ of θ from the Gauss–Newton covariance, scaled by the residual variance.
  const Eigen::MatrixXd A = J.transpose() * J;
  const double dof = std::max<double>(1.0, static_cast<double>(r.size() - n));
  const Eigen::MatrixXd cov = A.ldlt().solve(Eigen::MatrixXd::Identity(n, n)) * (2 * cost / dof);
  for (Eigen::Index i = 0; i < n; ++i) out.rel_sigma.push_back(std::sqrt(std::max(0.0, cov(i, i))));
  out.covariance = cov;
  out.correlation = cov;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) {
      const double si = out.rel_sigma[static_cast<std::size_t>(i)], sj = out.rel_sigma[static_cast<std::size_t>(j)];
      out.correlation(i, j) = si > 0 && sj > 0 ? cov(i, j) / (si * sj) : (i == j ? 1.0 : 0.0);
    }
  return out;
}

}  // namespace edgeperf::fit
