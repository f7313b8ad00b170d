# The delay causes, in the order of models/buildout/milestones.h: their
# metric names, labels and one colour each. The timeline's phase kinds come
# first (browns and purples), then the buildout's own causes.
array cause_name[12] = ["permits", "grid_connection", "electrical_equipment", "construction", "commissioning", \
  "other_phases", "gpu_supply", "cooling_capacity", "install_crews", "power", "bringup", "burnin_failures"]
array cause_label[12] = ["permits", "grid connection", "electrical equipment", "construction", "commissioning", \
  "other phases", "GPU supply", "cooling capacity", "install crews", "power (tranches)", "bring-up", \
  "burn-in and failures"]
array cause_colour[12] = ["#8c564b", "#e377c2", "#9467bd", "#c49c94", "#f7b6d2", "#c7c7c7", "#1f77b4", \
  "#17becf", "#bcbd22", "#d62728", "#2ca02c", "#7f7f7f"]
ncauses = 12
g(x) = (x < 0 ? 0 : x)
