# A backtest of more projects than a comparison draws one by one: the same chart as compare/backtest.gp.
load plotsdir."/compare/backtest.gp"
