#include "ncverify/training/gradient_descent.hpp"

namespace ncverify {

std::string training_status_name(TrainingStatus status) {
    switch (status) {
        case TrainingStatus::completed: return "completed";
        case TrainingStatus::reached_target_loss: return "reached_target_loss";
        case TrainingStatus::diverged: return "diverged";
        case TrainingStatus::interrupted: return "interrupted";
    }
    return {};
}

}  // namespace ncverify
