# A comparison of a few scenarios ranked as a site study is (plots/ranking/ranking.gp): compare_ranking.
load plotsdir."/ranking/ranking.gp"
